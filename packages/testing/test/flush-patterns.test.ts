// The Vitest examples of the README, kept true. The two that need cross-tab and history run in
// those packages' suites (cross-tab/test/testing-kit.test.ts, history/test/memory-history.test.ts),
// since this package depends on the bus alone.
import { createPubSub } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../src/index.ts';

describe('flush patterns', () => {
  it('times out on the fake clock, with no real waiting', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'orders', clock });
    const reply = bus.waitFor('orders.confirmed', { timeout: 5000 });
    clock.advance(5000);
    await expect(reply).rejects.toThrow("waitFor('orders.confirmed'): no matching message within 5000 ms");
  });
});
