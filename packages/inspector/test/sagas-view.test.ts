// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createSagasView } from '../src/views/sagas-view.ts';
import { malformedBadge, message, rows } from './fixtures.ts';

const base = { sagaId: 's-1', name: 'checkout' };

describe('sagas view', () => {
  it('follows a saga to completed, steps in order', () => {
    const view = createSagasView();
    view.accept(message('saga.step.completed', { ...base, step: 2, stepName: 'charge', total: 3 }));
    view.accept(message('saga.step.completed', { ...base, step: 1, stepName: 'reserve', total: 3 }));
    const [row] = rows(view.element, 'saga-row');
    expect(row?.getAttribute('data-status')).toBe('running');
    expect(row?.textContent).toContain('✓ reserve✓ charge (2/3)');
    view.accept(message('saga.completed', base));
    expect(rows(view.element, 'saga-row')[0]?.getAttribute('data-status')).toBe('completed');
  });

  it('marks a saga failed once every completed step is compensated, and applies an event once', () => {
    const view = createSagasView('checkout');
    const compensated = message('checkout.step.compensated', { ...base, step: 1, stepName: 'reserve' });
    view.accept(message('checkout.step.completed', { ...base, step: 1, stepName: 'reserve', total: 2 }));
    view.accept(
      message('checkout.failed', { ...base, error: { name: 'Error', message: 'card declined' }, interrupted: false }),
    );
    expect(rows(view.element, 'saga-row')[0]?.getAttribute('data-status')).toBe('compensating');
    view.accept(compensated);
    view.accept(compensated);
    const [row] = rows(view.element, 'saga-row');
    expect(row?.getAttribute('data-status')).toBe('failed');
    expect(row?.textContent).toContain('card declined');
    // Another prefix's events are not this view's.
    view.accept(message('saga.completed', { sagaId: 's-2', name: 'other' }));
    expect(rows(view.element, 'saga-row')).toHaveLength(1);
  });

  it('counts malformed progress events and never throws', () => {
    const view = createSagasView();
    for (const payload of [null, 5, { sagaId: 1, name: 'x' }, { ...base, step: 'one', stepName: 'reserve' }]) {
      expect(() => view.accept(message('saga.step.completed', payload))).not.toThrow();
    }
    // A failure without a readable error still counts as a failure.
    view.accept(message('saga.failed', { ...base, error: 'boom' }));
    expect(view.malformedCount()).toBe(4);
    expect(malformedBadge(view.element)).toBe('4 malformed');
    expect(rows(view.element, 'saga-row')[0]?.getAttribute('data-status')).toBe('failed');
  });
});
