import { describe, expect, it } from 'vitest';
import { createPubSub, type Message } from '@switchboard/bus';
import { createHistoryAdapter, createMemoryHistory } from '../src/index.ts';
import { createFakeClock } from '@switchboard/testing';
import { createTabs, freshIndexedDB } from './support.ts';

describe('history.subscribe (replay for late joiners)', () => {
  it('replays the stored messages, then live ones', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'r' });
    await history.attach(bus);
    for (let i = 0; i < 5; i++) bus.publish('feed.item', i);
    const seen: unknown[] = [];
    const off = await history.subscribe('feed.#', (m) => void seen.push(m.payload));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    bus.publish('feed.item', 5);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    off();
    bus.publish('feed.item', 6);
    expect(seen).toHaveLength(6);
  });

  it('replays what reached this tab before its write was committed elsewhere, in order, once', async () => {
    // Tab 0 keeps no history (as if its write were still waiting); tab 1 saw its messages arrive.
    const clock = createFakeClock(1_000);
    const [publisher, joiner] = createTabs(2, { clock });
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), clock });
    await history.attach(joiner!.bus);
    publisher!.bus.publish('feed.item', 'unstored-1');
    clock.advance(1);
    joiner!.bus.publish('feed.item', 'stored');
    clock.advance(1);
    publisher!.bus.publish('other.item', 'elsewhere');
    publisher!.bus.publish('feed.item', 'unstored-2');
    await Promise.resolve(); // the relay injects in a microtask
    const seen: unknown[] = [];
    await history.subscribe('feed.#', (m) => void seen.push(m.payload), { since: 0 });
    expect(seen).toEqual(['unstored-1', 'stored', 'unstored-2']);
    const last: unknown[] = [];
    await history.subscribe('feed.#', (m) => void last.push(m.payload), { last: 2 });
    expect(last).toEqual(['stored', 'unstored-2']);
    publisher!.bus.publish('feed.item', 'live');
    await Promise.resolve();
    expect(seen).toEqual(['unstored-1', 'stored', 'unstored-2', 'live']);
  });

  it('replays the last N, or since a time', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'r' });
    await history.attach(bus);
    const sent = Array.from({ length: 6 }, (_, i) => bus.publish('feed.item', i));
    const last: unknown[] = [];
    await history.subscribe('feed.item', (m) => void last.push(m.payload), { last: 2 });
    expect(last).toEqual([4, 5]);
    const since: unknown[] = [];
    await history.subscribe('feed.item', (m) => void since.push(m.id), { since: sent[3]!.ts });
    expect(since).toEqual(sent.filter((m) => m.ts >= sent[3]!.ts).map((m) => m.id));
  });

  it('has no gap and no duplicate while messages keep arriving from this tab and others', async () => {
    const indexedDB = freshIndexedDB();
    const [a, b] = createTabs(2);
    const historyA = createHistoryAdapter({ indexedDB });
    const historyB = createHistoryAdapter({ indexedDB });
    await historyA.attach(a!.bus);
    await historyB.attach(b!.bus);
    let n = 0;
    let running = true;
    // Both tabs publish on every macrotask while the replay loads (IndexedDB work is macrotasks too).
    const pump = (async () => {
      while (running) {
        a!.bus.publish('stream.a', n++);
        b!.bus.publish('stream.b', n++);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));

    const seen: Message[] = [];
    const off = await historyA.subscribe('stream.#', (m) => void seen.push(m));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    running = false;
    await pump;
    await a!.bus.flush();
    await b!.bus.flush();
    off();

    const ids = seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Everything either tab published is there, each tab's messages in publish order.
    const stored = await historyA.getHistory('stream.#');
    expect(new Set(ids)).toEqual(new Set(stored.map((m) => m.id)));
    expect(stored).toHaveLength(n);
    for (const topic of ['stream.a', 'stream.b']) {
      const payloads = seen.filter((m) => m.topic === topic).map((m) => m.payload as number);
      expect(payloads).toEqual([...payloads].sort((x, y) => x - y));
    }
  });

  it('drops the live copy of a message it already replayed', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'r' });
    let link!: import('@switchboard/bus').AdapterLink;
    bus.attach({
      name: 'remote',
      connect: (l) => {
        link = l;
      },
    });
    await history.attach(bus);
    const early = bus.publish('feed.item', 'committed in another tab first');
    await bus.flush();
    const seen: unknown[] = [];
    await history.subscribe('feed.item', (m) => void seen.push(m.payload));
    // The same message now arrives "from the other tab", after the replay already had it.
    link.inject(structuredClone(early));
    bus.publish('feed.item', 'new');
    expect(seen).toEqual(['committed in another tab first', 'new']);
  });

  it('delivers what handlers publish during the replay after the message being handled', async () => {
    const history = createMemoryHistory();
    const bus = createPubSub({ app: 'r' });
    await history.attach(bus);
    bus.publish('chain.start', 0);
    const seen: string[] = [];
    await history.subscribe('chain.#', (m) => {
      seen.push(`${m.topic}:${String(m.payload)}`);
      if (m.topic === 'chain.start') bus.publish('chain.next', 1);
    });
    expect(seen).toEqual(['chain.start:0', 'chain.next:1']);
  });

  it('stops on abort, even while loading, and reports handler errors to the bus', async () => {
    const errors: unknown[] = [];
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'r', onError: (error, context) => errors.push([String(error), context.kind]) });
    await history.attach(bus);
    bus.publish('x.y', 1);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const pending = history.subscribe('x.y', (m) => void seen.push(m.payload), { signal: controller.signal });
    controller.abort();
    await pending;
    bus.publish('x.y', 2);
    expect(seen).toEqual([]);

    await history.subscribe('x.y', () => {
      throw new Error('handler broke');
    });
    expect(errors).toEqual([
      ['Error: handler broke', 'handler'],
      ['Error: handler broke', 'handler'],
    ]);
  });

  it('needs an attached bus', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    await expect(history.subscribe('a.b', () => {})).rejects.toThrow(
      /history.subscribe\('a.b'\): this history is not attached to a bus; call await history.attach\(bus\) first/,
    );
  });
});
