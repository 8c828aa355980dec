import { describe, expect, it, vi } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter } from '../src/index.ts';
import { createTabs, freshIndexedDB } from './support.ts';

describe('createHistoryAdapter', () => {
  it('stores what the bus publishes, every field intact', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'shop' });
    await history.attach(bus);
    const sent = bus.publish(
      'orders.created',
      { id: 'o1', when: new Date(5), tags: new Set(['a']) },
      { correlationId: 'c1', custom: 42 },
    );
    await bus.flush();
    const [stored] = await history.getHistory('orders.created');
    expect(stored).toEqual(sent);
    expect(stored).not.toBe(sent);
    expect(history.stats()).toMatchObject({
      storage: 'indexeddb',
      attached: true,
      persisted: 1,
      batches: 1,
      pendingWrites: 0,
    });
  });

  it('writes a synchronous burst in one transaction and bus.flush() waits for the commit', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'shop' });
    await history.attach(bus);
    for (let i = 0; i < 500; i++) bus.publish('burst.item', i);
    expect(history.stats().pendingWrites).toBe(500);
    await bus.flush();
    expect(history.stats()).toMatchObject({ persisted: 500, batches: 1, pendingWrites: 0 });
    const stored = await history.getHistory('burst.item');
    expect(stored.map((m) => m.payload)).toEqual([...Array(500).keys()]);
  });

  it('splits a burst at maxBatchSize and keeps a batch open for batchDelayMs', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), maxBatchSize: 100 });
    const bus = createPubSub({ app: 'shop' });
    await history.attach(bus);
    for (let i = 0; i < 250; i++) bus.publish('burst.item', i);
    await bus.flush();
    expect(history.stats()).toMatchObject({ persisted: 250, batches: 3 });

    // Only timers: fake-indexeddb schedules its own work with setImmediate, which must stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const delayed = createHistoryAdapter({ indexedDB: freshIndexedDB(), batchDelayMs: 50 });
      const other = createPubSub({ app: 'shop' });
      await delayed.attach(other);
      other.publish('a.b', 1);
      await Promise.resolve();
      other.publish('a.b', 2);
      expect(delayed.stats().batches).toBe(0);
      await vi.advanceTimersByTimeAsync(50);
      await delayed.flush();
      expect(delayed.stats()).toMatchObject({ persisted: 2, batches: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not store $sys. events unless includeSystem, and honours persist()', async () => {
    const indexedDB = freshIndexedDB();
    const plain = createHistoryAdapter({ indexedDB, namespace: 'plain', persist: (m) => m.topic !== 'secret.token' });
    const withSystem = createHistoryAdapter({ indexedDB, namespace: 'sys', includeSystem: true });
    const bus = createPubSub({ app: 'shop' });
    let link!: import('@switchboard/bus').AdapterLink;
    bus.attach({
      name: 'sys',
      connect: (l) => {
        link = l;
      },
    });
    await plain.attach(bus);
    await withSystem.attach(bus);
    link.publishSystem('$sys.tab.joined', { tabId: 'x' });
    bus.publish('secret.token', 'abc');
    bus.publish('orders.created', 1);
    await bus.flush();
    expect((await plain.getHistory('#')).map((m) => m.topic)).toEqual(['orders.created']);
    expect((await withSystem.getHistory('$sys.#')).map((m) => m.topic)).toEqual(['$sys.tab.joined']);
    // `#` never reaches `$sys.` topics, as in subscribe.
    expect((await withSystem.getHistory('#')).map((m) => m.topic)).toEqual(['secret.token', 'orders.created']);
  });

  it('stores each message once, by the tab that published it, however many tabs have history', async () => {
    const indexedDB = freshIndexedDB();
    const tabs = createTabs(3);
    const histories = tabs.map(() => createHistoryAdapter({ indexedDB, namespace: 'shared' }));
    await Promise.all(histories.map((history, i) => history.attach(tabs[i]!.bus)));
    const seen = tabs.map(() => 0);
    tabs.forEach((tab, i) => {
      tab.bus.subscribe('chat.#', () => void seen[i]!++);
    });
    tabs.forEach((tab, i) => {
      for (let n = 0; n < 10; n++) tab.bus.publish('chat.line', { tab: i, n });
    });
    await Promise.all(tabs.map((tab) => tab.bus.flush()));
    expect(seen).toEqual([30, 30, 30]);
    expect(await histories[0]!.count()).toBe(30);
    const stored = await histories[2]!.getHistory('chat.#');
    expect(new Set(stored.map((m) => m.id)).size).toBe(30);
    expect(histories.map((h) => h.stats().persisted)).toEqual([10, 10, 10]);
  });

  it('keeps one message per id even when two histories of one tab store it', async () => {
    const indexedDB = freshIndexedDB();
    const bus = createPubSub({ app: 'shop' });
    const a = createHistoryAdapter({ indexedDB });
    const b = createHistoryAdapter({ indexedDB });
    await a.attach(bus);
    await b.attach(bus);
    bus.publish('x.y', 1);
    await bus.flush();
    expect(await a.count()).toBe(1);
  });

  it('attaches to one bus at a time, detaches, and stops storing', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'shop' });
    await history.attach(bus);
    await expect(history.attach(createPubSub({ app: 'other' }))).rejects.toThrow(
      /already attached to the bus of app 'shop'; call detach\(\) first/,
    );
    bus.publish('a.b', 1);
    history.detach();
    expect(history.stats().attached).toBe(false);
    bus.publish('a.b', 2);
    await history.flush();
    expect((await history.getHistory('a.b')).map((m) => m.payload)).toEqual([1]);
    await history.attach(createPubSub({ app: 'again' }));
    expect(history.stats().attached).toBe(true);
  });

  it('detaches itself when the bus is disposed', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'shop' });
    await history.attach(bus);
    bus.dispose();
    expect(history.stats().attached).toBe(false);
  });

  it('close() waits for queued writes; a later query reopens the database', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'shop' });
    await history.attach(bus);
    bus.publish('a.b', 1);
    await history.close();
    expect(history.stats()).toMatchObject({ persisted: 1, attached: false });
    expect(await history.getHistory('a.#')).toHaveLength(1);
  });

  it('clear() empties its namespace only', async () => {
    const indexedDB = freshIndexedDB();
    const a = createHistoryAdapter({ indexedDB, namespace: 'a' });
    const b = createHistoryAdapter({ indexedDB, namespace: 'b' });
    const bus = createPubSub({ app: 'shop' });
    await a.attach(bus);
    await b.attach(bus);
    bus.publish('x.y', 1);
    await bus.flush();
    await a.clear();
    expect(await a.count()).toBe(0);
    expect(await b.count()).toBe(1);
  });

  it('refuses bad options with the option named', () => {
    expect(() => createHistoryAdapter({ ttlSeconds: -1 })).toThrow(
      /createHistoryAdapter\(\): options.ttlSeconds must be/,
    );
    expect(() => createHistoryAdapter({ maxMessages: 1.5 })).toThrow(/options.maxMessages must be a whole number/);
    expect(() => createHistoryAdapter({ namespace: '' })).toThrow(/options.namespace must be a non-empty string/);
    expect(() => createHistoryAdapter({ gcIntervalMs: Infinity })).toThrow(/use 0 to turn automatic GC off/);
  });
});
