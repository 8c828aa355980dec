// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createCircuitsView } from '../src/views/circuits-view.ts';
import { malformedBadge, message, rows } from './fixtures.ts';

const state = (name: string, payload: unknown) => message(`$sys.circuit.${name}.state`, payload);

describe('circuits view', () => {
  it('shows each circuit with the newest state, and failures while closed', () => {
    const view = createCircuitsView();
    view.accept(message('$sys.circuit.inventory.query', {}));
    expect(rows(view.element, 'circuit-row').map((row) => row.getAttribute('data-state'))).toEqual(['CLOSED']);
    view.accept(message('$sys.circuit.inventory.failure', {}));
    view.accept(message('$sys.circuit.inventory.failure', {}));
    expect(view.element.textContent).toContain('2 recent failures');
    view.accept(state('inventory', { state: 'OPEN', previous: 'CLOSED', generation: 1, since: 5, tabId: 'tab-b' }));
    // An older generation's event does not undo a newer one.
    view.accept(state('inventory', { state: 'CLOSED', previous: 'OPEN', generation: 0, since: 1, tabId: 'tab-c' }));
    const [row] = rows(view.element, 'circuit-row');
    expect(row?.getAttribute('data-state')).toBe('OPEN');
    expect(row?.textContent).toContain('by tab tab-b');
  });

  it('takes a shared answer only when it is of a newer generation', () => {
    const view = createCircuitsView();
    view.accept(state('pay', { state: 'HALF_OPEN', previous: 'OPEN', generation: 2, since: 5, tabId: 't' }));
    view.accept(message('$sys.circuit.pay.shared', { state: 'OPEN', generation: 2, since: 1, by: 't' }));
    expect(rows(view.element, 'circuit-row')[0]?.getAttribute('data-state')).toBe('HALF_OPEN');
    view.accept(message('$sys.circuit.pay.shared', { state: 'CLOSED', generation: 3, since: 9, by: 't' }));
    expect(rows(view.element, 'circuit-row')[0]?.getAttribute('data-state')).toBe('CLOSED');
  });

  it('counts a malformed state as malformed and keeps rendering the others', () => {
    const view = createCircuitsView();
    view.accept(state('inventory', { state: 'OPEN', previous: 'CLOSED', generation: 1, since: 5, tabId: 't' }));
    expect(() => view.accept(state('x', { state: 123 }))).not.toThrow();
    expect(() => view.accept(state('inventory', { state: 'AJAR', generation: 9, since: 1, tabId: 't' }))).not.toThrow();
    expect(() => view.accept(message('$sys.circuit.y.shared', null))).not.toThrow();
    expect(view.malformedCount()).toBe(3);
    expect(malformedBadge(view.element)).toBe('3 malformed');
    // Later messages still render.
    view.accept(message('$sys.circuit.inventory.failure', {}));
    view.accept(state('inventory', { state: 'CLOSED', previous: 'OPEN', generation: 2, since: 6, tabId: 't' }));
    expect(rows(view.element, 'circuit-row').map((row) => row.getAttribute('data-state'))).toEqual(['CLOSED']);
  });
});
