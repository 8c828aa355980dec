import { describe, expect, it, vi } from 'vitest';
import { createPubSub, type Clock } from '@switchboard/bus';
import { createHistoryAdapter } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

/** A clock whose time the test sets; timers never fire (GC stays off in these tests). */
function manualClock(start = 1_000_000): Clock & { set(t: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (t) => {
      now = t;
    },
    setTimeout: () => 0,
    clearTimeout: () => {},
  };
}

async function seeded(topics: Array<[string, number]>, namespace = 'q') {
  const clock = manualClock();
  const indexedDB = freshIndexedDB();
  const history = createHistoryAdapter({ indexedDB, namespace, clock, ttlSeconds: Infinity });
  const bus = createPubSub({ app: 'q', clock });
  await history.attach(bus);
  for (const [topic, ts] of topics) {
    clock.set(ts);
    bus.publish(topic, { topic, ts });
  }
  await bus.flush();
  return { history, bus, clock, indexedDB };
}

const topicsOf = (messages: Array<{ topic: string }>) => messages.map((m) => m.topic);

describe('getHistory', () => {
  const data: Array<[string, number]> = [
    ['orders.1.created', 100],
    ['orders.2.created', 200],
    ['orders.1.paid', 300],
    ['orders', 400],
    ['ordersx.1', 450],
    ['orders.1.shipped', 500],
    ['inventory.sku-1.reserved', 600],
  ];

  it('matches patterns like subscribe does, oldest first', async () => {
    const { history } = await seeded(data);
    expect(topicsOf(await history.getHistory('orders.#'))).toEqual([
      'orders.1.created',
      'orders.2.created',
      'orders.1.paid',
      'orders',
      'orders.1.shipped',
    ]);
    expect(topicsOf(await history.getHistory('orders.1.#'))).toEqual([
      'orders.1.created',
      'orders.1.paid',
      'orders.1.shipped',
    ]);
    expect(topicsOf(await history.getHistory('orders.+.created'))).toEqual(['orders.1.created', 'orders.2.created']);
    expect(topicsOf(await history.getHistory('orders.1.paid'))).toEqual(['orders.1.paid']);
    expect(topicsOf(await history.getHistory('orders'))).toEqual(['orders']);
    expect(topicsOf(await history.getHistory('+.1.#'))).toEqual([
      'orders.1.created',
      'orders.1.paid',
      'ordersx.1',
      'orders.1.shipped',
    ]);
    expect(await history.getHistory('#')).toHaveLength(data.length);
  });

  it('bounds by time, keeps the newest `limit`, and orders asc or desc', async () => {
    const { history } = await seeded(data);
    expect(topicsOf(await history.getHistory('orders.#', { fromTime: 200, toTime: 400 }))).toEqual([
      'orders.2.created',
      'orders.1.paid',
      'orders',
    ]);
    expect(topicsOf(await history.getHistory('orders.#', { limit: 2 }))).toEqual(['orders', 'orders.1.shipped']);
    expect(topicsOf(await history.getHistory('orders.#', { limit: 2, order: 'desc' }))).toEqual([
      'orders.1.shipped',
      'orders',
    ]);
    expect(topicsOf(await history.getHistory('orders.+.created', { limit: 1 }))).toEqual(['orders.2.created']);
    expect(topicsOf(await history.getHistory('#', { limit: 1, toTime: 450 }))).toEqual(['ordersx.1']);
    expect(await history.getHistory('orders.#', { limit: 0 })).toEqual([]);
    expect(await history.getHistory('orders.#', { fromTime: 500, toTime: 100 })).toEqual([]);
  });

  it('keeps publish order for messages of the same millisecond', async () => {
    const { history } = await seeded(Array.from({ length: 40 }, () => ['same.ms', 7] as [string, number]));
    const stored = await history.getHistory('same.ms');
    // Ids end in the bus's publish counter; history must not sort them as strings ('10' < '9').
    expect(stored.map((m) => parseInt(m.id.split('-').pop()!, 36))).toEqual([...Array(40).keys()]);
  });

  it('keeps namespaces apart in one database', async () => {
    const indexedDB = freshIndexedDB();
    const a = createHistoryAdapter({ indexedDB, namespace: 'a' });
    const ab = createHistoryAdapter({ indexedDB, namespace: 'a-b' });
    const busA = createPubSub({ app: 'a' });
    const busB = createPubSub({ app: 'b' });
    await a.attach(busA);
    await ab.attach(busB);
    busA.publish('orders.created', 'from a');
    busB.publish('orders.created', 'from a-b');
    await Promise.all([busA.flush(), busB.flush()]);
    expect((await a.getHistory('#')).map((m) => m.payload)).toEqual(['from a']);
    expect((await ab.getHistory('orders.#')).map((m) => m.payload)).toEqual(['from a-b']);
    expect(await a.count()).toBe(1);
    await a.gc();
    expect(await ab.count()).toBe(1);
  });

  it('reads the topic index instead of the whole namespace', async () => {
    const { history } = await seeded([
      ...Array.from({ length: 300 }, (_, i) => [`noise.${i}.created`, i] as [string, number]),
      ['orders.42.created', 1000],
      ['orders.420.created', 1000],
      ['orders.42.paid', 1001],
    ]);
    const indexReads = vi.spyOn(IDBIndex.prototype, 'getAll');
    const storeReads = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const storeWalks = vi.spyOn(IDBObjectStore.prototype, 'openCursor');
    try {
      expect(topicsOf(await history.getHistory('orders.42.#'))).toEqual(['orders.42.created', 'orders.42.paid']);
      expect(topicsOf(await history.getHistory('orders.42.#', { limit: 100 }))).toEqual([
        'orders.42.created',
        'orders.42.paid',
      ]);
      expect(topicsOf(await history.getHistory('orders.42.paid', { limit: 100 }))).toEqual(['orders.42.paid']);
      expect(indexReads).toHaveBeenCalledTimes(3);
      expect(storeReads).not.toHaveBeenCalled();
      expect(storeWalks).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('walks newest first when a prefix matches many more messages than the limit', async () => {
    const { history } = await seeded([
      ...Array.from({ length: 1_200 }, (_, i) => [`dense.${i % 7}`, i] as [string, number]),
      ['densex', 1_300],
    ]);
    const storeWalks = vi.spyOn(IDBObjectStore.prototype, 'openCursor');
    try {
      const newest = await history.getHistory('dense.#', { limit: 3, toTime: 1_198 });
      expect(newest.map((m) => m.ts)).toEqual([1_196, 1_197, 1_198]);
      expect(storeWalks).toHaveBeenCalledTimes(1);
      const sorted = await history.getHistory('dense.3', { fromTime: 1_000, limit: 2 });
      expect(sorted.map((m) => m.ts)).toEqual([1_186, 1_193]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses bad patterns and options, naming them', async () => {
    const { history } = await seeded([]);
    await expect(history.getHistory('a.#.b')).rejects.toThrow(
      /getHistory\('a.#.b'\): '#' may only be the last segment/,
    );
    await expect(history.getHistory('a', { limit: -1 })).rejects.toThrow(/getHistory\('a'\): options.limit must be/);
    await expect(history.getHistory('a', { fromTime: Number.NaN })).rejects.toThrow(/options.fromTime must be a time/);
    await expect(history.getHistory('a', { order: 'up' as never })).rejects.toThrow(
      /options.order must be 'asc' or 'desc'/,
    );
  });

  it('types payloads as any by default, so samples can read fields directly', async () => {
    const { history } = await seeded([['orders.1.created', 1]]);
    const events = await history.getHistory('orders.#');
    expect(events.filter((e) => e.payload.topic === 'orders.1.created')).toHaveLength(1);
  });
});
