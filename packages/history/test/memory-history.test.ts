import { describe, expect, it } from 'vitest';
import { createPubSub, type Clock } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createMemoryHistory } from '../src/index.ts';

describe('createMemoryHistory', () => {
  it('has the same semantics without IndexedDB: patterns, limits, TTL, copies, bound', async () => {
    let now = 0;
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
    const history = createMemoryHistory({ clock, ttlSeconds: 10, maxMessages: 4, gcIntervalMs: 0 });
    const bus = createPubSub({ app: 'm', clock });
    await history.attach(bus);
    bus.publish('orders.1.created', { n: 0 });
    now = 5_000;
    bus.publish('orders.2.created', { n: 1 });
    bus.publish('orders.1.paid', { n: 2 });
    bus.publish('ordersx.1', { n: 3 });
    await bus.flush();

    expect(history.storage).toBe('memory');
    const [first] = await history.getHistory('orders.1.created');
    (first!.payload as { n: number }).n = 99; // a copy: the stored message is unchanged

    expect((await history.getHistory('orders.1.#')).map((m) => m.payload)).toEqual([{ n: 0 }, { n: 2 }]);
    expect((await history.getHistory('orders.+.created', { limit: 1 })).map((m) => m.payload)).toEqual([{ n: 1 }]);
    expect((await history.getHistory('#', { order: 'desc', limit: 2 })).map((m) => m.topic)).toEqual([
      'ordersx.1',
      'orders.1.paid',
    ]);
    now = 10_000;
    expect((await history.getHistory('orders.#')).map((m) => m.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    bus.publish('late.one', 4);
    await bus.flush();
    // maxMessages bounds memory at once, oldest first.
    expect(await history.count()).toBe(4);
    expect(await history.gc()).toMatchObject({ expired: 0, trimmed: 0 });
    now = 15_000;
    expect(await history.gc()).toMatchObject({ expired: 3 });
    expect((await history.getHistory('#')).map((m) => m.topic)).toEqual(['late.one']);
  });

  it('replays to late subscribers', async () => {
    const history = createMemoryHistory();
    const bus = createPubSub({ app: 'm' });
    await history.attach(bus);
    bus.publish('feed.a', 1);
    const seen: unknown[] = [];
    await history.subscribe('feed.#', (m) => void seen.push(m.payload));
    bus.publish('feed.b', 2);
    expect(seen).toEqual([1, 2]);
  });
});

// The third flush pattern of @switchboard/testing's README.
describe('flush patterns with history', () => {
  it('keeps history in memory; bus.flush() includes its writes', async () => {
    const clock = createFakeClock(Date.UTC(2030, 0, 1));
    const bus = createPubSub({ app: 'orders', clock });
    const history = createMemoryHistory({ clock });
    await history.attach(bus);
    bus.publish('orders.created', { id: 'o1' });
    await bus.flush();
    expect((await history.getHistory('orders.#')).map((message) => message.payload)).toEqual([{ id: 'o1' }]);
    bus.dispose();
  });
});
