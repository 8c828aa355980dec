import type { Message } from '@switchboard/bus';

/**
 * One query, planned by `planQuery()`: the store reads the topics under `prefix` (or every
 * message of the namespace when it is undefined) between the time bounds, keeps what `accept`
 * says, and stops at `limit`.
 */
export interface StoreQuery {
  /**
   * Literal leading segments of the pattern (`'orders.42'` for `'orders.42.#'`): the store reads
   * only topics equal to it or below it.
   */
  readonly prefix: string | undefined;
  /** True when the pattern has no wildcard: `prefix` is the one topic wanted. */
  readonly single: boolean;
  /** Lowest `ts` returned. */
  readonly from: number;
  /** When true, a message whose `ts` equals `from` is excluded (the TTL cutoff is exclusive). */
  readonly fromExclusive: boolean;
  /** Highest `ts` returned (inclusive). */
  readonly to: number;
  /** Keep at most this many: the newest ones. */
  readonly limit: number;
  /** True for a message the pattern matches (the key ranges are wider than some patterns). */
  readonly accept: (message: Message) => boolean;
}

/** What one garbage collection removed. */
export interface GcResult {
  /** Expired messages deleted. */
  readonly expired: number;
  /** Messages deleted because the namespace held more than `maxMessages`. */
  readonly trimmed: number;
  /** Time the run took, in ms. */
  readonly durationMs: number;
}

/**
 * Where a history keeps its messages: IndexedDB, or memory when IndexedDB is missing. The adapter
 * (batching, TTL, GC schedule, replay) is written once against this interface.
 */
export interface HistoryStore {
  readonly kind: 'indexeddb' | 'memory';
  /** Opens the storage; rejects with a `HistoryError` whose failure is `'unavailable'` when it cannot. */
  open(): Promise<void>;
  /** Writes one batch in one transaction; resolves when it is committed. */
  write(messages: readonly Message[]): Promise<void>;
  /** Runs a planned query; results are oldest first. */
  query(query: StoreQuery): Promise<Message[]>;
  /** Deletes messages with `ts <= cutoff`, then the oldest beyond `maxMessages`. */
  collect(cutoff: number, maxMessages: number): Promise<Omit<GcResult, 'durationMs'>>;
  /** Deletes the `count` oldest messages of the namespace; resolves with how many went. */
  evictOldest(count: number): Promise<number>;
  /** Number of messages stored in the namespace (expired ones included until GC runs). */
  count(): Promise<number>;
  /** Deletes every message of the namespace. */
  clear(): Promise<void>;
  /** Closes the storage; later calls reopen it. */
  close(): void;
  /**
   * Notes that another tab probably writes to the storage now (it published a message this tab
   * received), so GC keeps its transactions short for a while.
   */
  othersWrite?(): void;
}
