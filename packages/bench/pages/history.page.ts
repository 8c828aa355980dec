import { createPubSub, type Clock, type PubSubBus } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';
import { done, epochNow, openExisting, openLayout, STORE, v3Record } from './history-layout.ts';

/** How a burst is written: through the adapter, or raw IndexedDB as the two baselines. */
export type BurstKind = 'adapter' | 'per-message' | 'bulk';

/** The page's API, driven by the bench runner through `page.evaluate`. */
interface HistoryBench {
  open(run: string): Promise<void>;
  /** Writes `count` messages published in one burst; resolves with ms until committed. */
  burst(kind: BurstKind, count: number): Promise<number>;
  /**
   * Stores `count` messages over `topics` topics (`d<i>.id<j>.a<k>`) for the query benchmark, and
   * 20 old ones of each rare prefix `r<j>.x` (written first): prefixes with 500 and with 20 matches.
   */
  seedQueries(count: number, topics: number): Promise<void>;
  /** ms of each `getHistory(prefix, { limit })`, alternating dense and rare prefixes, each answer checked. */
  queries(samples: number, warmup: number, limit: number): Promise<number[]>;
  /** Stores `count` messages in a namespace of their own and lets the writes settle; for `collect`. */
  prepare(count: number): Promise<void>;
  /**
   * Deletes what `prepare` stored, expired: through `gc()`, or as the floor, by one range delete
   * in one transaction of the same store. Resolves with its wall time in ms, after checking the count.
   */
  collect(how: 'gc' | 'range-delete'): Promise<{ ms: number; from: number; to: number }>;
  /** Starts publishing every ~2 ms (another namespace of the same store), timing each publish → committed. */
  startPublishing(): Promise<void>;
  /** Stops, resolving with each publish's start (ms since the epoch) and its latency to committed (ms). */
  stopPublishing(): Promise<Array<{ at: number; ms: number }>>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    historyBench: HistoryBench;
  }
}

const TTL_SECONDS = 3600;
const PAYLOAD = { sku: 'ab-1', qty: 3, note: 'bench' };

let run = '';
/** Lets the database finish what a seeding left (log writes, compaction) before a measurement. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 500));
}

let rawDb: IDBDatabase;
let counter = 0;
const opened: HistoryAdapter[] = [];
const buses: PubSubBus[] = [];

/** A clock the GC benchmark moves forward, so stored messages expire without waiting. */
function shiftedClock(): Clock & { shift(ms: number): void } {
  let offset = 0;
  return { ...systemClock, now: () => systemClock.now() + offset, shift: (ms) => (offset += ms) };
}

async function attached(
  namespace: string,
  clock: Clock = systemClock,
): Promise<{ bus: PubSubBus; history: HistoryAdapter }> {
  const bus = createPubSub({ app: `bench-${namespace}` });
  // gcIntervalMs 0: no automatic GC in the middle of a measurement; maxMessages high enough
  // that trimming never runs either.
  const history = createHistoryAdapter({
    dbName: `bench-history-${run}`,
    namespace,
    ttlSeconds: TTL_SECONDS,
    maxMessages: 1_000_000,
    gcIntervalMs: 0,
    clock,
  });
  await history.attach(bus);
  opened.push(history);
  buses.push(bus);
  return { bus, history };
}

function expectCount(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${what}: ${actual} records stored, expected ${expected}`);
}

/** The baselines' database: the adapter's layout (key path `k`, the `byPath` index). */
function openRawDb(): Promise<IDBDatabase> {
  return openLayout(`bench-raw-${run}`, 'v3');
}

async function rawBurst(kind: 'per-message' | 'bulk', count: number): Promise<number> {
  await done(rawDb.transaction(STORE, 'readwrite').objectStore(STORE).clear());
  // The same messages the bus makes, created before the clock starts (in the baselines' favour).
  const plain = createPubSub({ app: 'bench-raw' });
  const records = [];
  for (let i = 0; i < count; i++)
    records.push(v3Record('raw', plain.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i })));
  plain.dispose();
  const start = performance.now();
  if (kind === 'bulk') {
    const tx = rawDb.transaction(STORE, 'readwrite', { durability: 'relaxed' });
    const store = tx.objectStore(STORE);
    for (const record of records) store.put(record);
    await done(tx);
  } else {
    // Every transaction is opened at once, as publishes would be; then all are awaited.
    const pending: Promise<void>[] = [];
    for (const record of records) {
      const tx = rawDb.transaction(STORE, 'readwrite', { durability: 'relaxed' });
      tx.objectStore(STORE).put(record);
      pending.push(done(tx));
    }
    await Promise.all(pending);
  }
  const ms = performance.now() - start;
  const countRequest = rawDb.transaction(STORE).objectStore(STORE).count();
  await done(countRequest);
  expectCount(countRequest.result, count, `burst(${kind})`);
  return ms;
}

const RARE_PREFIXES = 20;
const RARE_MATCHES = 20;
/** Ids of each query prefix's messages, oldest first. */
const expected = new Map<string, string[]>();
let prepared: { bus: PubSubBus; history: HistoryAdapter; count: number; namespace: string } | undefined;
let publishing: { stop: boolean; samples: Promise<{ at: number; ms: number }>[]; loop: Promise<void> } | undefined;
let burstTarget: { bus: PubSubBus; history: HistoryAdapter } | undefined;
let queryHistory: HistoryAdapter | undefined;
let queryTopics: { domains: number; ids: number } = { domains: 0, ids: 0 };

window.historyBench = {
  async open(id) {
    run = id;
    rawDb = await openRawDb();
  },

  async burst(kind, count) {
    if (kind !== 'adapter') return rawBurst(kind, count);
    burstTarget ??= await attached('burst');
    const { bus, history } = burstTarget;
    await history.clear();
    const start = performance.now();
    for (let i = 0; i < count; i++) bus.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i });
    await bus.flush();
    const ms = performance.now() - start;
    expectCount(await history.count(), count, 'burst(adapter)');
    return ms;
  },

  async seedQueries(count, topics) {
    // 500 topics = 5 domains x 20 ids x 5 actions; a '<domain>.<id>.#' query spans 5 of them.
    const domains = 5;
    const actions = 5;
    const ids = topics / domains / actions;
    queryTopics = { domains, ids };
    const { bus, history } = await attached('query');
    // Rare prefixes first: old, and fewer matches than the limit.
    for (let j = 0; j < RARE_PREFIXES; j++) {
      for (let k = 0; k < RARE_MATCHES; k++) {
        const m = bus.publish(`r${j}.x`, { ...PAYLOAD, i: -1 - k });
        (expected.get(`r${j}`) ?? expected.set(`r${j}`, []).get(`r${j}`)!).push(m.id);
      }
    }
    for (let i = 0; i < count; i++) {
      const t = i % topics;
      const prefix = `d${t % domains}.id${Math.floor(t / domains) % ids}`;
      const m = bus.publish(`${prefix}.a${Math.floor(t / domains / ids)}`, { ...PAYLOAD, i });
      (expected.get(prefix) ?? expected.set(prefix, []).get(prefix)!).push(m.id);
      // Bursts of 10,000, each committed, as a busy app would write them.
      if ((i + 1) % 10_000 === 0) await bus.flush();
    }
    await bus.flush();
    expectCount(await history.count(), count + RARE_PREFIXES * RARE_MATCHES, 'seedQueries');
    queryHistory = history;
  },

  async queries(samples, warmup, limit) {
    const history = queryHistory!;
    const times: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      const prefix =
        i % 2 === 0 ? `d${i % queryTopics.domains}.id${(i * 7) % queryTopics.ids}` : `r${(i * 3) % RARE_PREFIXES}`;
      const start = performance.now();
      const found = await history.getHistory(`${prefix}.#`, { limit });
      const ms = performance.now() - start;
      // The newest `limit` of the prefix, oldest first: exactly these ids, in this order.
      const ids = expected.get(prefix)!;
      const want = ids.slice(Math.max(0, ids.length - limit));
      if (found.length !== want.length || found.some((m, k) => m.id !== want[k]))
        throw new Error(`getHistory('${prefix}.#'): ${found.length} messages, not the newest ${want.length} in order`);
      if (i >= warmup) times.push(ms);
    }
    return times;
  },

  async prepare(count) {
    const clock = shiftedClock();
    const target = await attached(`gc-${counter++}`, clock);
    for (let i = 0; i < count; i++) {
      target.bus.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i });
      if ((i + 1) % 10_000 === 0) await target.bus.flush();
    }
    await target.bus.flush();
    expectCount(await target.history.count(), count, 'prepare');
    // Expired records were written long ago: the collection is timed after the seeding settled.
    await settle();
    clock.shift((TTL_SECONDS + 1) * 1000);
    prepared = { ...target, count, namespace: `gc-${counter - 1}` };
  },

  async collect(how) {
    const { history, count, namespace } = prepared!;
    prepared = undefined;
    if (how === 'gc') {
      const from = epochNow();
      const start = performance.now();
      const result = await history.gc();
      const ms = performance.now() - start;
      const to = epochNow();
      if (result.expired !== count)
        throw new Error(`gc(): removed ${result.expired} expired records, expected ${count}`);
      expectCount(await history.count(), 0, 'collect(gc)');
      return { ms, from, to };
    }
    const db = await openExisting(`bench-history-${run}`);
    try {
      const from = epochNow();
      const start = performance.now();
      const tx = db.transaction(STORE, 'readwrite', { durability: 'relaxed' });
      tx.objectStore(STORE).delete(IDBKeyRange.bound([namespace], [namespace, []]));
      await done(tx);
      const ms = performance.now() - start;
      const to = epochNow();
      expectCount(await history.count(), 0, 'collect(range-delete)');
      return { ms, from, to };
    } finally {
      db.close();
    }
  },

  async startPublishing() {
    const { bus } = await attached('writer');
    const state = { stop: false, samples: [] as Promise<{ at: number; ms: number }>[], loop: Promise.resolve() };
    state.loop = (async () => {
      // One publish every ~2 ms, each in its own task, so its own write.
      while (!state.stop) {
        const at = epochNow();
        const start = performance.now();
        bus.publish('orders.o1.updated', { ...PAYLOAD, i: state.samples.length });
        state.samples.push(bus.flush().then(() => ({ at, ms: performance.now() - start })));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    publishing = state;
  },

  async stopPublishing() {
    const state = publishing!;
    state.stop = true;
    await state.loop;
    return Promise.all(state.samples);
  },

  async close() {
    for (const history of opened) await history.close();
    for (const bus of buses) bus.dispose();
    rawDb.close();
    indexedDB.deleteDatabase(`bench-history-${run}`);
    indexedDB.deleteDatabase(`bench-raw-${run}`);
  },
};
