import { createPubSub, isSwitchboardError, type Bus } from '@switchboard/bus';
import { forApp } from '@switchboard/bus/apps';
import { describe, expect, it } from 'vitest';
import { createAggregator, createCircuitBreaker, createRpc, createSaga } from '../src/index.ts';

describe('helpers on something that is neither a bus nor a handle', () => {
  it('say which helper was given what, instead of failing somewhere inside', () => {
    const full = createPubSub({ app: 'orders' });
    // A look-alike: everything of a Bus, but made by hand, so no host granted it any access.
    const { attach: _attach, stats: _stats, ...rest } = full;
    const lookAlike: Bus = { ...rest, app: full.app, tabId: full.tabId, disposed: false };
    for (const [prefix, create] of [
      ["createRpc(): systemAccess('rpc')", () => createRpc(lookAlike)],
      ["createAggregator(): createRpc(): systemAccess('rpc')", () => createAggregator(lookAlike)],
      ["createCircuitBreaker(): systemAccess('circuit')", () => createCircuitBreaker(lookAlike, { name: 'inventory' })],
      ["createSaga(): systemAccess('saga')", () => createSaga(lookAlike)],
    ] as const) {
      let thrown: unknown;
      try {
        create();
      } catch (error) {
        thrown = error;
      }
      expect(isSwitchboardError(thrown, 'INVALID_OPTION')).toBe(true);
      const expected = `${prefix}: expected a bus from createPubSub() or a handle from forApp(), got Object`;
      expect(String((thrown as Error).message).slice(0, expected.length)).toBe(expected);
    }
  });

  it('work on the full bus and on a handle', () => {
    const full = createPubSub({ app: 'shell' });
    expect(() => createRpc(full).dispose()).not.toThrow();
    const orders = forApp(full, 'orders');
    expect(() => createRpc(orders).dispose()).not.toThrow();
    expect(full.stats().adapters).toEqual(['app:orders']);
  });
});
