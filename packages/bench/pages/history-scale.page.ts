import { createPubSub, type Clock, type Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';
import {
  checkLayout,
  classicRecord,
  done,
  openExisting,
  openLayout,
  STORE,
  type ClassicRecord,
  type V3Record,
} from './history-layout.ts';
import { handWritten, type Baseline, type Shape } from './history-baselines.ts';
import { messageAt, queryOf } from './history-dataset.ts';

/** A query the bench times: the library's answer and each hand-written baseline's must agree. */
export interface QueryTiming {
  readonly ms: number;
  /** `payload.i` of what came back, oldest first: the same data in both databases. */
  readonly found: number[];
}

/** The page's API, driven by the bench runner through `page.evaluate`. */
export interface HistoryScaleBench {
  /** Names the run's databases; `size` is the record count they hold (or will, after `build`). */
  open(run: string, size: number): Promise<void>;
  /** Writes `size` messages through the adapter (bursts of 10,000) and the same ones raw into a classic-layout database; ms each. */
  build(size: number): Promise<{ adapterMs: number; classicMs: number }>;
  /** Uses the databases an earlier `build(size)` of the same run id left, if both hold `size` records; false otherwise. */
  reuse(size: number): Promise<boolean>;
  /** Times one query shape through the library (`getHistory`, or a replaying `subscribe` for 'replay'). */
  library(shape: Shape, entity: number): Promise<QueryTiming>;
  /** Times one hand-written baseline of a shape. */
  baseline(shape: Shape, entity: number, baseline: Baseline): Promise<QueryTiming>;
  /** Publish → committed latencies (ms) of a publish every ~2 ms until `stop()`; run in another tab. */
  startPublishing(namespace: string): Promise<void>;
  stopPublishing(): Promise<number[]>;
  /** Closes the history and deletes the run's databases unless `keep`. */
  close(keep: boolean): Promise<void>;
}

declare global {
  interface Window {
    historyScale: HistoryScaleBench;
  }
}

const BURST = 10_000;
const TTL_SECONDS = 30 * 86_400;
let run = '';
let history: HistoryAdapter;
let size = 0;
/** The build's clock: each message gets the `ts` of its place in the data set. */
const writerClock: Clock & { at: number } = {
  at: 0,
  now: () => writerClock.at,
  setTimeout: (run, ms) => systemClock.setTimeout(run, ms),
  clearTimeout: (handle) => systemClock.clearTimeout(handle),
};

let start = 0;

/** The adapter the queries go through, on the run's database of `total` records. */
function queryingAdapter(total: number): HistoryAdapter {
  return createHistoryAdapter({
    dbName: `scale-${run}-${total}`,
    namespace: 'scale',
    ttlSeconds: TTL_SECONDS,
    maxMessages: 10_000_000,
    gcIntervalMs: 0,
  });
}

let publishing: { stop: boolean; samples: Promise<number>[]; loop: Promise<void> } | undefined;

window.historyScale = {
  async open(id, total) {
    run = id;
    size = total;
  },

  async build(total) {
    size = total;
    // What an interrupted build of a kept profile left is written again from scratch.
    await Promise.all(
      [`scale-${run}-${total}`, `scale-classic-${run}-${total}`].map((name) => done(indexedDB.deleteDatabase(name))),
    );
    start = Date.now() - total - 60_000;
    const bus = createPubSub({ app: 'scale', clock: writerClock });
    history = queryingAdapter(total);
    await history.attach(bus);
    const adapterStart = performance.now();
    let last!: Message;
    for (let i = 0; i < total; i++) {
      const { topic, ts, payload } = messageAt(i, total, start);
      writerClock.at = ts;
      last = bus.publish(topic, payload);
      if ((i + 1) % BURST === 0) await bus.flush();
    }
    await bus.flush();
    const adapterMs = performance.now() - adapterStart;
    const stored = await history.count();
    if (stored !== total) throw new Error(`build(${total}): the adapter stored ${stored}`);
    const adapterDb = await openExisting(`scale-${run}-${total}`);
    await checkLayout(adapterDb, 'scale', last);
    adapterDb.close();
    history.detach();

    const classic = await openLayout(`scale-classic-${run}-${total}`, 'classic');
    const classicStart = performance.now();
    for (let from = 0; from < total; from += BURST) {
      const tx = classic.transaction(STORE, 'readwrite', { durability: 'relaxed' });
      const store = tx.objectStore(STORE);
      for (let i = from; i < Math.min(total, from + BURST); i++) {
        const { topic, ts, payload } = messageAt(i, total, start);
        const m = {
          id: `c-${i.toString(36)}`,
          topic,
          ts,
          payload,
          source: 'scale',
          meta: {},
          origin: { tabId: 'classic' },
          depth: 0,
        };
        store.put(classicRecord('scale', m) satisfies ClassicRecord);
      }
      await done(tx);
    }
    const classicMs = performance.now() - classicStart;
    const classicCount = await done(classic.transaction(STORE).objectStore(STORE).count());
    classic.close();
    if (classicCount !== total) throw new Error(`build(${total}): the classic database holds ${classicCount}`);
    return { adapterMs, classicMs };
  },

  async reuse(total) {
    size = total;
    const names = [`scale-${run}-${total}`, `scale-classic-${run}-${total}`];
    const existing = new Set((await indexedDB.databases()).map((info) => info.name));
    if (!names.every((name) => existing.has(name))) return false;
    const counts = await Promise.all(
      names.map(async (name) => {
        const db = await openExisting(name);
        try {
          // The data set's namespace only: the latency probes write others into the same store.
          return await done(
            db
              .transaction(STORE)
              .objectStore(STORE)
              .count(IDBKeyRange.bound(['scale'], ['scale', []])),
          );
        } finally {
          db.close();
        }
      }),
    );
    if (counts.some((count) => count !== total)) return false;
    history = queryingAdapter(total);
    return true;
  },

  async library(shape, entity) {
    const { pattern, limit } = queryOf(shape, entity);
    let found: Message<{ i: number }>[];
    if (shape === 'replay') {
      const replayed: Message<{ i: number }>[] = [];
      const bus = createPubSub({ app: 'replay' });
      await history.attach(bus);
      const began = performance.now();
      const off = await history.subscribe<{ i: number }>(pattern, (m) => void replayed.push(m), { last: limit });
      found = replayed;
      const ms = performance.now() - began;
      off();
      history.detach();
      bus.dispose();
      return { ms, found: found.map((m) => m.payload.i) };
    }
    const began = performance.now();
    found = await history.getHistory<{ i: number }>(pattern, { limit });
    return { ms: performance.now() - began, found: found.map((m) => m.payload.i) };
  },

  async baseline(shape, entity, baseline) {
    const { pattern, limit } = queryOf(shape, entity);
    const classic = baseline === 'topic-index';
    const db = await openExisting(classic ? `scale-classic-${run}-${size}` : `scale-${run}-${size}`);
    try {
      const began = performance.now();
      const records = await handWritten(db, baseline, 'scale', pattern, limit);
      const ms = performance.now() - began;
      return { ms, found: (records as Array<V3Record | ClassicRecord>).map((r) => (r.m.payload as { i: number }).i) };
    } finally {
      db.close();
    }
  },

  async startPublishing(namespace) {
    const bus = createPubSub({ app: 'latency' });
    const writer = createHistoryAdapter({ dbName: `scale-${run}-${size}`, namespace, gcIntervalMs: 0 });
    await writer.attach(bus);
    const state = { stop: false, samples: [] as Promise<number>[], loop: Promise.resolve() };
    state.loop = (async () => {
      while (!state.stop) {
        const began = performance.now();
        bus.publish('latency.probe', { at: began });
        state.samples.push(bus.flush().then(() => performance.now() - began));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await writer.close();
      bus.dispose();
    })();
    publishing = state;
  },

  async stopPublishing() {
    const state = publishing!;
    state.stop = true;
    const samples = await Promise.all(state.samples);
    await state.loop;
    return samples;
  },

  async close(keep) {
    await history.close();
    if (keep) return;
    indexedDB.deleteDatabase(`scale-${run}-${size}`);
    indexedDB.deleteDatabase(`scale-classic-${run}-${size}`);
  },
};
