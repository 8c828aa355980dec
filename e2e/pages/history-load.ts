// One cross-tab bus per page with an IndexedDB history, for e2e/tests/history-load.spec.ts and
// history-degradations.spec.ts: a publishing loop, and a tally of what arrived live from each
// publisher (lost, duplicated, out of order).
// Query: ?db=<name>&channel=<name>&refuse=1 (IndexedDB.open throws, as in some private modes)
//        &ttl=<seconds>&gcMs=<ms>&max=<n> (history options; defaults keep everything, no GC)
//        &pad=<bytes> (random text in each published payload)
//        &delay=<ms> (batchDelayMs: a long one keeps this tab's writes pending, as in a tab that dies mid-write)
import type { Message } from '@switchboard/bus';
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createHistoryAdapter, type HistoryAdapter, type HistoryError } from '@switchboard/history';

/** What one page received live from one publisher (another page's bus). */
interface LiveTally {
  /** Distinct messages received. */
  received: number;
  /** Messages received a second time. */
  duplicated: number;
  /** Messages that arrived after one published later. */
  reordered: number;
}

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __history: HistoryAdapter;
    __historyErrors: Array<{ failure: string; code: string; message: string; cause: string | undefined }>;
    /** Live tallies of `load.#` messages from other pages, by publisher tab id. */
    __live(): Record<string, LiveTally>;
    /** Publishes `perTick` messages on `load.<tabId>` every `intervalMs` until `count`; resolves with how many. */
    __load(count: number, perTick: number, intervalMs: number): Promise<number>;
    /** Starts publishing `perTick` every `intervalMs` until `__stop()`. */
    __start(perTick: number, intervalMs: number): void;
    /** Stops the loop started by `__start()`; returns how many it published (nothing is flushed). */
    __stop(): number;
    /** Subscribes and unsubscribes all the time (plain and replaying subscriptions) until `__stop()`. */
    __churn(): void;
    /** Reads the durable saga log (`@switchboard/patterns/durable`); resolves with what it threw, if anything. */
    __sagaLogError(): Promise<
      { name: string; code: string | undefined; message: string; cause: string | undefined } | undefined
    >;
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);

if (params.get('refuse') === '1') {
  // Some private modes refuse IndexedDB this way.
  indexedDB.open = () => {
    throw new DOMException('The user denied permission to access the database.', 'SecurityError');
  };
}

window.__historyErrors = [];
const live = new Map<string, { seen: Set<number>; duplicated: number; reordered: number; next: number }>();
window.__live = () =>
  Object.fromEntries(
    [...live].map(([from, { seen, duplicated, reordered }]) => [from, { received: seen.size, duplicated, reordered }]),
  );
window.__sb = createCrossTabPubSub({ app: 'history-load', channel: params.get('channel') ?? 'history-load' });
const number = (name: string, fallback: number): number => (params.has(name) ? Number(params.get(name)) : fallback);
window.__history = createHistoryAdapter({
  dbName: params.get('db') ?? 'history-load',
  gcIntervalMs: number('gcMs', 0),
  ttlSeconds: number('ttl', 3600),
  maxMessages: number('max', 1_000_000),
  batchDelayMs: number('delay', 0),
  onError: (error: HistoryError) => {
    window.__historyErrors.push({
      failure: error.failure,
      code: error.code,
      message: error.message,
      cause: (error.cause as Error | undefined)?.name,
    });
  },
});

// `tally=0` (the soak): no tally, whose sets of seen indexes grow with every message.
window.__sb.subscribe('load.#', (message: Message<{ i: number }>) => {
  if (params.get('tally') === '0') return;
  const from = message.origin.tabId;
  if (from === window.__sb.tabId) return;
  const { i } = message.payload;
  let tally = live.get(from);
  if (tally === undefined) {
    // A page that opened later sees a publisher from the middle of its stream.
    tally = { seen: new Set(), duplicated: 0, reordered: 0, next: i };
    live.set(from, tally);
  }
  if (tally.seen.has(i)) {
    tally.duplicated++;
    return;
  }
  tally.seen.add(i);
  // Indexes go up by one per message from one publisher; anything else arrived out of order.
  if (i !== tally.next) tally.reordered++;
  tally.next = Math.max(tally.next, i + 1);
});

let published = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
const topic = `load.${window.__sb.tabId}`;

// Random text, so that the storage engine cannot compress it away.
const padBytes = new Uint8Array(Math.ceil((Number(params.get('pad') ?? 0) * 3) / 4));
const pad = (): string | undefined => {
  if (padBytes.length === 0) return undefined;
  crypto.getRandomValues(padBytes);
  return btoa(String.fromCharCode(...padBytes));
};

function publishSome(perTick: number, until: number): void {
  for (let k = 0; k < perTick && published < until; k++) {
    const text = pad();
    window.__sb.publish(topic, text === undefined ? { i: published++ } : { i: published++, text });
  }
}

window.__load = (count, perTick, intervalMs) =>
  new Promise((resolve) => {
    const tick = (): void => {
      publishSome(perTick, count);
      if (published < count) timer = setTimeout(tick, intervalMs);
      else resolve(published);
    };
    tick();
  });
window.__start = (perTick, intervalMs) => {
  const tick = (): void => {
    publishSome(perTick, Infinity);
    timer = setTimeout(tick, intervalMs);
  };
  tick();
};
let churnTimer: ReturnType<typeof setTimeout> | undefined;
window.__churn = () => {
  let round = 0;
  const step = async (): Promise<void> => {
    round++;
    // Per-entity patterns that come and go, as components mount and unmount (1,000 entities).
    const offs = Array.from({ length: 20 }, (_, k) =>
      window.__sb.subscribe(`load.+.e${(round * 20 + k) % 1_000}`, () => {}),
    );
    const replay = await window.__history.subscribe('load.#', () => {}, { last: 20 });
    for (const off of offs) off();
    replay();
    churnTimer = setTimeout(() => void step(), 20);
  };
  void step();
};
window.__stop = () => {
  clearTimeout(timer);
  clearTimeout(churnTimer);
  return published;
};

window.__sagaLogError = async () => {
  const { createIdbSagaLog } = await import('@switchboard/patterns/durable');
  try {
    await createIdbSagaLog({ dbName: `sagas-${params.get('db')}` }).unfinished('checkout');
    return undefined;
  } catch (error) {
    const { name, code, message, cause } = error as Error & { code?: string };
    return { name, code, message, cause: (cause as Error | undefined)?.name };
  }
};

await window.__history.attach(window.__sb);
window.__ready = true;
