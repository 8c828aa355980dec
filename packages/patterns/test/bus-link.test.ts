import { createPubSub, isSwitchboardError, type Bus } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, createRpc } from '../src/index.ts';

describe('helpers on a bus that cannot take adapters', () => {
  it('say which helper needs the full bus, instead of failing somewhere inside', () => {
    const full = createPubSub({ app: 'orders' });
    // What an app may be handed instead of the full bus: everything of a Bus, no attach.
    const { attach: _attach, stats: _stats, ...rest } = full;
    const appOnly: Bus = { ...rest, app: full.app, tabId: full.tabId, disposed: false };
    for (const [fn, create] of [
      ['createRpc()', () => createRpc(appOnly)],
      ['createCircuitBreaker()', () => createCircuitBreaker(appOnly, { name: 'inventory' })],
    ] as const) {
      let thrown: unknown;
      try {
        create();
      } catch (error) {
        thrown = error;
      }
      expect(isSwitchboardError(thrown, 'INVALID_OPTION')).toBe(true);
      expect(String((thrown as Error).message)).toMatch(
        new RegExp(`^${fn.replace(/[()]/g, '\\$&')}: the bus given cannot take adapters`),
      );
    }
    // The full bus works.
    expect(() => createRpc(full).dispose()).not.toThrow();
  });
});
