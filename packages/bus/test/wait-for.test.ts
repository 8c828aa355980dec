import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPubSub } from '../src/index.ts';

describe('waitFor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves with the first message passing the predicate and unsubscribes', async () => {
    const bus = createPubSub({ app: 'w' });
    const waiting = bus.waitFor('orders.+', { predicate: (m) => (m.payload as number) > 1 });
    bus.publish('orders.a', 1);
    bus.publish('orders.b', 2);
    await expect(waiting).resolves.toMatchObject({ topic: 'orders.b', payload: 2 });
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('rejects on timeout with the pattern named, leaving no subscription', async () => {
    const bus = createPubSub({ app: 'w' });
    const waiting = bus.waitFor('never.+', { timeout: 100 });
    vi.advanceTimersByTime(100);
    await expect(waiting).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/waitFor\('never\.\+'\): no matching message within 100 ms/),
    });
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('rejects when aborted or when the bus is disposed', async () => {
    const bus = createPubSub({ app: 'w' });
    const controller = new AbortController();
    const aborted = bus.waitFor('a', { signal: controller.signal });
    controller.abort('stop');
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED', cause: 'stop' });
    await expect(bus.waitFor('a', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    const disposed = bus.waitFor('a');
    bus.dispose();
    await expect(disposed).rejects.toMatchObject({ code: 'BUS_DISPOSED' });
  });

  it('rejects with the predicate error', async () => {
    const bus = createPubSub({ app: 'w' });
    const waiting = bus.waitFor('a', {
      predicate: () => {
        throw new Error('bad predicate');
      },
    });
    bus.publish('a', 1);
    await expect(waiting).rejects.toThrow('bad predicate');
  });
});
