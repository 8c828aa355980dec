// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createDenialsView } from '../src/views/denials-view.ts';
import { malformedBadge, message, rows } from './fixtures.ts';

const denial = {
  app: 'orders',
  action: 'publish',
  subject: 'inventory.reserved',
  rule: "publish ['orders.#']",
  tabId: 'tab-b',
};

describe('denials view', () => {
  it('lists refusals newest first with the app, the subject and the rule', () => {
    const view = createDenialsView();
    view.accept(message('$sys.app.denied', denial));
    view.accept(message('$sys.app.denied', { ...denial, app: 'inventory', subject: 'orders.placed' }));
    const [first, second] = rows(view.element, 'denial-row');
    expect(first?.getAttribute('data-app')).toBe('inventory');
    expect(second?.getAttribute('data-subject')).toBe('inventory.reserved');
    expect(second?.textContent).toContain("orders publish inventory.reserved (publish ['orders.#'], tab tab-b)");
  });

  it('counts a malformed denial and shows nothing of it', () => {
    const view = createDenialsView();
    expect(() => view.accept(message('$sys.app.denied', { ...denial, subject: ['x'] }))).not.toThrow();
    expect(() => view.accept(message('$sys.app.denied', undefined))).not.toThrow();
    expect(view.malformedCount()).toBe(2);
    expect(malformedBadge(view.element)).toBe('2 malformed');
    expect(rows(view.element, 'denial-row')).toEqual([]);
  });
});
