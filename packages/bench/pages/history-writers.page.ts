import type { Message } from '@switchboard/bus';
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';
import { checkLayout, done, epochNow, openExisting, openLayout, STORE, v3Record } from './history-layout.ts';

/** When a tab's share of a load was published and committed (ms since the epoch, comparable across tabs). */
export interface WriterTimes {
  readonly firstPublish: number;
  readonly lastPublish: number;
  readonly committed: number;
  readonly published: number;
}

/** The page's API, driven by the bench runner through `page.evaluate`. */
export interface HistoryWritersBench {
  /** A cross-tab bus with a history; every tab of a run shares the channel and the database. */
  open(run: string, tab: number): Promise<void>;
  /** Publishes `count` messages, `chunk` per task, as fast as the tab can; resolves once all are committed. */
  publishFast(count: number, chunk: number): Promise<WriterTimes>;
  /** Publishes `perTick` messages every `intervalMs` until `count`; resolves once all are committed. */
  publishPaced(count: number, perTick: number, intervalMs: number): Promise<WriterTimes>;
  /** ms to write `count` records of the adapter's layout in one transaction, in a database of its own. */
  rawBulk(count: number): Promise<number>;
  /** Deletes what the loads stored (between rounds). */
  clear(): Promise<void>;
  /** Records stored in the history's namespace. */
  count(): Promise<number>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    historyWriters: HistoryWritersBench;
  }
}

const PAYLOAD = { sku: 'ab-1', qty: 3, note: 'bench' };
let bus: CrossTabPubSub;
let history: HistoryAdapter;
let rawDb: IDBDatabase;
let run = '';
let tabIndex = 0;
let sequence = 0;
let layoutChecked = false;

function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

async function finish(
  firstPublish: number,
  lastPublish: number,
  published: number,
  last: Message,
): Promise<WriterTimes> {
  await bus.flush();
  const committed = epochNow();
  if (!layoutChecked) {
    const db = await openExisting(`writers-${run}`);
    await checkLayout(db, 'default', last);
    db.close();
    layoutChecked = true;
  }
  return { firstPublish, lastPublish, committed, published };
}

window.historyWriters = {
  async open(id, tab) {
    run = id;
    tabIndex = tab;
    bus = createCrossTabPubSub({ app: `writer-${tab}`, channel: `writers-${id}` });
    history = createHistoryAdapter({
      dbName: `writers-${id}`,
      gcIntervalMs: 0,
      ttlSeconds: 3600,
      maxMessages: 10_000_000,
    });
    await history.attach(bus);
    rawDb = await openLayout(`writers-raw-${id}-${tab}`, 'v3');
  },

  async publishFast(count, chunk) {
    const topic = `w.t${tabIndex}.x`;
    const firstPublish = epochNow();
    let last!: Message;
    for (let sent = 0; sent < count; ) {
      for (let k = 0; k < chunk && sent < count; k++, sent++) last = bus.publish(topic, { ...PAYLOAD, i: sequence++ });
      await nextTask();
    }
    return finish(firstPublish, epochNow(), count, last);
  },

  publishPaced(count, perTick, intervalMs) {
    const topic = `w.t${tabIndex}.x`;
    const firstPublish = epochNow();
    let sent = 0;
    let last!: Message;
    return new Promise((resolve, reject) => {
      const tick = (): void => {
        for (let k = 0; k < perTick && sent < count; k++, sent++)
          last = bus.publish(topic, { ...PAYLOAD, i: sequence++ });
        if (sent < count) {
          setTimeout(tick, intervalMs);
          return;
        }
        finish(firstPublish, epochNow(), count, last).then(resolve, reject);
      };
      tick();
    });
  },

  async rawBulk(count) {
    await done(rawDb.transaction(STORE, 'readwrite').objectStore(STORE).clear());
    // The same messages the bus makes, made before the clock starts (in the baseline's favour).
    const records = Array.from({ length: count }, (_, i) =>
      v3Record('default', {
        id: `raw${tabIndex}-${(sequence++).toString(36)}`,
        topic: `w.t${tabIndex}.x`,
        payload: { ...PAYLOAD, i },
        ts: Date.now(),
        source: 'bench',
        meta: {},
        origin: { tabId: 'raw' },
        depth: 0,
      }),
    );
    const start = performance.now();
    const tx = rawDb.transaction(STORE, 'readwrite', { durability: 'relaxed' });
    const store = tx.objectStore(STORE);
    for (const record of records) store.put(record);
    await done(tx);
    const ms = performance.now() - start;
    const stored = await done(rawDb.transaction(STORE).objectStore(STORE).count());
    if (stored !== count) throw new Error(`rawBulk(): ${stored} records stored, expected ${count}`);
    return ms;
  },

  async clear() {
    await history.clear();
  },

  count: () => history.count(),

  async close() {
    await history.close();
    bus.dispose();
    rawDb.close();
    indexedDB.deleteDatabase(`writers-raw-${run}-${tabIndex}`);
    if (tabIndex === 0) indexedDB.deleteDatabase(`writers-${run}`);
  },
};
