import { createPubSub, type Clock, type Message, type PubSubBus } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';

/** How a burst is written: through the adapter, or raw IndexedDB as the two baselines. */
export type BurstKind = 'adapter' | 'per-message' | 'bulk';

/** The page's API, driven by the bench runner through `page.evaluate`. */
interface HistoryBench {
  open(run: string): Promise<void>;
  /** Writes `count` messages published in one burst; resolves with ms until committed. */
  burst(kind: BurstKind, count: number): Promise<number>;
  /** Stores `count` messages over `topics` topics (`d<i>.id<j>.a<k>`) for the query benchmark. */
  seedQueries(count: number, topics: number): Promise<void>;
  /** ms of each `getHistory('<domain>.<id>.#', { limit })`, after checking what it returned. */
  queries(samples: number, warmup: number, limit: number): Promise<number[]>;
  /** Stores `count` messages, lets them expire, runs `gc()`; resolves with its wall time in ms. */
  gcRound(count: number): Promise<{ ms: number; reportedMs: number }>;
  rawDeleteRound(count: number): Promise<number>;
  /** publish → committed latency samples (ms), idle and while GC of `count` expired records runs. */
  publishLatency(
    idleSamples: number,
    gcSamples: number,
    count: number,
  ): Promise<{ idle: number[]; duringGc: number[] }>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    historyBench: HistoryBench;
  }
}

const STORE = 'messages';
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

function done(request: IDBRequest | IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    if (request instanceof IDBTransaction) {
      request.oncomplete = () => resolve();
      request.onerror = () => reject(request.error);
      request.onabort = () => reject(request.error ?? new Error('transaction aborted'));
    } else {
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    }
  });
}

/** The baselines' database: the adapter's layout (key path `k`, the `byTopic` index). */
function openRawDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`bench-raw-${run}`, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'k' });
      store.createIndex('byTopic', ['n', 'm.topic', 'm.ts']);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function rawBurst(kind: 'per-message' | 'bulk', count: number): Promise<number> {
  await done(rawDb.transaction(STORE, 'readwrite').objectStore(STORE).clear());
  // The same messages the bus makes, created before the clock starts (in the baselines' favour).
  const plain = createPubSub({ app: 'bench-raw' });
  const records: Array<{ k: [string, number, number, string]; n: string; m: Message }> = [];
  for (let i = 0; i < count; i++) {
    const m = plain.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i });
    records.push({ k: ['raw', m.ts, counter++, m.id], n: 'raw', m });
  }
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

/**
 * The floor under GC: `count` records written like the adapter's, then deleted by one range
 * delete in one transaction (what GC would do if no write ever had to go between its chunks).
 */
async function rawDeleteRound(count: number): Promise<number> {
  await done(rawDb.transaction(STORE, 'readwrite').objectStore(STORE).clear());
  const plain = createPubSub({ app: 'bench-raw' });
  const tx = rawDb.transaction(STORE, 'readwrite', { durability: 'relaxed' });
  for (let i = 0; i < count; i++) {
    const m = plain.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i });
    tx.objectStore(STORE).put({ k: ['raw', m.ts, counter++, m.id], n: 'raw', m });
  }
  plain.dispose();
  await done(tx);
  const start = performance.now();
  const deletion = rawDb.transaction(STORE, 'readwrite', { durability: 'relaxed' });
  deletion.objectStore(STORE).delete(IDBKeyRange.bound(['raw'], ['raw', []]));
  await done(deletion);
  const ms = performance.now() - start;
  const countRequest = rawDb.transaction(STORE).objectStore(STORE).count();
  await done(countRequest);
  expectCount(countRequest.result, 0, 'rawDeleteRound');
  return ms;
}

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
    for (let i = 0; i < count; i++) {
      const t = i % topics;
      bus.publish(`d${t % domains}.id${Math.floor(t / domains) % ids}.a${Math.floor(t / domains / ids)}`, {
        ...PAYLOAD,
        i,
      });
      // Bursts of 10,000, each committed, as a busy app would write them.
      if ((i + 1) % 10_000 === 0) await bus.flush();
    }
    await bus.flush();
    expectCount(await history.count(), count, 'seedQueries');
    queryHistory = history;
  },

  async queries(samples, warmup, limit) {
    const history = queryHistory!;
    const times: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      const prefix = `d${i % queryTopics.domains}.id${(i * 7) % queryTopics.ids}`;
      const start = performance.now();
      const found = await history.getHistory(`${prefix}.#`, { limit });
      const ms = performance.now() - start;
      if (found.length !== limit)
        throw new Error(`getHistory('${prefix}.#'): ${found.length} messages, expected ${limit}`);
      const stray = found.find((m) => !m.topic.startsWith(`${prefix}.`));
      if (stray) throw new Error(`getHistory('${prefix}.#') returned '${stray.topic}'`);
      if (i >= warmup) times.push(ms);
    }
    return times;
  },

  rawDeleteRound,

  async gcRound(count) {
    const clock = shiftedClock();
    const { bus, history } = await attached(`gc-${counter++}`, clock);
    for (let i = 0; i < count; i++) bus.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i });
    await bus.flush();
    expectCount(await history.count(), count, 'gcRound');
    // Expired records were written long ago: GC is timed after the seeding writes have settled,
    // not in their wake (the latency row measures GC beside writes).
    await settle();
    clock.shift((TTL_SECONDS + 1) * 1000);
    const start = performance.now();
    const result = await history.gc();
    const ms = performance.now() - start;
    if (result.expired !== count) throw new Error(`gc(): removed ${result.expired} expired records, expected ${count}`);
    expectCount(await history.count(), 0, 'gcRound after gc()');
    return { ms, reportedMs: result.durationMs };
  },

  async publishLatency(idleSamples, gcSamples, count) {
    const { bus } = await attached('latency');
    // A steady stream, one publish every few ms (each in its own task, so its own write), each
    // timed from publish until committed; the same procedure idle and while GC runs.
    const stream = async (keepGoing: () => boolean, max: number): Promise<number[]> => {
      const timings: Promise<number>[] = [];
      while (keepGoing() && timings.length < max) {
        const start = performance.now();
        bus.publish('orders.o1.updated', { ...PAYLOAD, i: timings.length });
        timings.push(bus.flush().then(() => performance.now() - start));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return Promise.all(timings);
    };
    // Idle and GC samples alternate, cycle by cycle, so both meet the same moments of a shared
    // machine; each cycle first lets the database finish what the seeding left (log writes,
    // compaction), so idle means idle.
    const idle: number[] = [];
    const duringGc: number[] = [];
    for (let cycle = 0; (duringGc.length < gcSamples || idle.length < idleSamples) && cycle < 20; cycle++) {
      const clock = shiftedClock();
      const seeded = await attached(`gc-latency-${counter++}`, clock);
      for (let i = 0; i < count; i++) seeded.bus.publish(`orders.o${i % 500}.created`, { ...PAYLOAD, i });
      await seeded.bus.flush();
      await settle();
      idle.push(...(await stream(() => true, Math.min(25, Math.max(0, idleSamples - idle.length)))));
      clock.shift((TTL_SECONDS + 1) * 1000);
      let running = true;
      const gc = seeded.history.gc().finally(() => {
        running = false;
      });
      // Publishes that started while GC ran count, including those that waited for its end.
      duringGc.push(...(await stream(() => running, Math.max(0, gcSamples - duringGc.length))));
      const result = await gc;
      if (result.expired !== count)
        throw new Error(`gc() during publishes: removed ${result.expired}, expected ${count}`);
    }
    return { idle, duringGc };
  },

  async close() {
    for (const history of opened) await history.close();
    for (const bus of buses) bus.dispose();
    rawDb.close();
    indexedDB.deleteDatabase(`bench-history-${run}`);
    indexedDB.deleteDatabase(`bench-raw-${run}`);
  },
};
