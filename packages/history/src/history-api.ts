import type {
  AnyBus,
  AnyTopicMap,
  Handler,
  Message,
  PayloadOf,
  PubSubBus,
  TopicMap,
  Unsubscribe,
} from '@switchboard/bus';
import type { HistoryReader } from './app-history.ts';
import type { HistoryFailure } from './errors.ts';
import type { GcResult } from './history-store.ts';
import type { Reducer, RebuildOptions } from './projection.ts';
import type { HistoryQueryOptions } from './query-plan.ts';
import type { ReplayOptions } from './replay.ts';

/** Counters describing a history, for diagnostics, tests and benchmarks. */
export interface HistoryStats {
  readonly namespace: string;
  /** Where messages are kept: `'memory'` after a fallback. */
  readonly storage: 'indexeddb' | 'memory';
  readonly attached: boolean;
  /** Messages committed by this tab (its own, and those it took custody of and found not stored yet). */
  readonly persisted: number;
  /** Messages of departed or stalled tabs this tab took custody of and stored (they were not stored yet). */
  readonly custodied: number;
  /**
   * Messages this tab took custody of and found stored already (by their tab, or another
   * custodian) when it wrote them: custody's wasted work, left as it was.
   */
  readonly custodySkipped: number;
  /** Messages from other tabs held until their tab says they are stored (custody). */
  readonly held: number;
  /** Messages waiting in memory because the browser refuses writes for lack of space. */
  readonly spilled: number;
  /** Messages that will never be stored (failed writes, an overflowing spill), each reported. */
  readonly dropped: number;
  /** Write transactions committed by this tab. */
  readonly batches: number;
  /** Messages queued or being written. */
  readonly pendingWrites: number;
  /** Messages returned by `getHistory` (and replays). */
  readonly retrieved: number;
  /** GC runs performed by this tab. */
  readonly gcRuns: number;
  /** GC ticks skipped because another tab is the leader. */
  readonly gcSkipped: number;
  readonly expiredRemoved: number;
  readonly trimmedRemoved: number;
  /** Oldest messages deleted to make room after a quota error. */
  readonly evicted: number;
  /** Errors reported through `onError`. */
  readonly errors: number;
  /** Why storage is `'memory'` when IndexedDB was wanted (`'unavailable'`, `'schema'`), else undefined. */
  readonly degraded: HistoryFailure | undefined;
  /** When this tab last ran GC (clock time), if it has. */
  readonly lastGcAt: number | undefined;
}

/**
 * A history of bus messages: attach it to a bus and every message published in this tab is
 * stored (once, by this tab), queryable by pattern and time, replayable to late subscribers.
 * With the bus's topic map `M`, queries and replays type their payloads by pattern, as
 * `bus.subscribe` does; an explicit type (`getHistory<Order>(…)`) works with or without one.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createHistoryAdapter } from '@switchboard/history';
 * const history = createHistoryAdapter({ namespace: 'shop', ttlSeconds: 3600 });
 * await history.attach(createPubSub({ app: 'orders' }));
 * const recent = await history.getHistory('orders.#', { limit: 20 });
 */
export interface HistoryAdapter<M extends TopicMap = AnyTopicMap> {
  readonly namespace: string;
  /** Where messages are kept right now (`'memory'` where IndexedDB is unavailable). */
  readonly storage: 'indexeddb' | 'memory';
  /**
   * Starts storing what `bus` publishes in this tab (at once: messages published right after the
   * call are kept) and starts GC; resolves once the database is open (or memory took over).
   */
  attach<M extends TopicMap>(bus: PubSubBus<M>): Promise<void>;
  /** Stops storing and GC. Writes already queued still complete. */
  detach(): void;
  /** Detaches, waits for queued writes and closes the database (a later query reopens it). */
  close(): Promise<void>;
  /** Deletes every message of this namespace. */
  clear(): Promise<void>;
  /** Stored messages matching `pattern`, oldest first, expired ones excluded. */
  getHistory<P extends string>(pattern: P, options?: HistoryQueryOptions): Promise<Message<PayloadOf<M, P>>[]>;
  /** Stored messages matching `pattern`, with an explicit payload type. */
  getHistory<T>(pattern: string, options?: HistoryQueryOptions): Promise<Message<T>[]>;
  /**
   * Subscribes with replay: the stored messages (`since` a time and/or the `last` N), then live
   * ones, with no gap and no duplicate. Resolves once the replay is delivered. Needs `attach()`.
   */
  subscribe<P extends string>(
    pattern: P,
    handler: Handler<PayloadOf<M, P>>,
    options?: ReplayOptions,
  ): Promise<Unsubscribe>;
  /** Subscribes with replay, with an explicit payload type. */
  subscribe<T>(pattern: string, handler: Handler<T>, options?: ReplayOptions): Promise<Unsubscribe>;
  /**
   * This history as one app sees it: pass the app's handle (from `forApp`) and its queries,
   * replays and rebuilds return only what the app may subscribe to. Give it to the app instead
   * of the history itself.
   */
  forApp(bus: AnyBus): HistoryReader;
  /** Event sourcing: folds the stored events matching `pattern` into a state; see {@link rebuildState}. */
  rebuild<S, P extends string = string>(
    pattern: P,
    reducer: Reducer<S, PayloadOf<M, P>>,
    initial: S,
    options?: RebuildOptions<PayloadOf<M, P>>,
  ): Promise<S>;
  /** Event sourcing with an explicit event payload type. */
  rebuild<S, T>(pattern: string, reducer: Reducer<S, T>, initial: S, options?: RebuildOptions<T>): Promise<S>;
  /** Runs garbage collection now, in this tab, leader or not. */
  gc(): Promise<GcResult>;
  /** Resolves once every message stored so far is committed (`bus.flush()` includes this). */
  flush(): Promise<void>;
  /** Messages stored in the namespace, expired ones included until GC runs. */
  count(): Promise<number>;
  stats(): HistoryStats;
}
