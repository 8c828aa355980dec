import type { Message } from '@switchboard/bus';
import type { ReadRule } from './read-back.ts';

/**
 * One query, planned by `planQuery()`: the store reads what `pattern` can match between the time
 * bounds, keeps what `accept` says (the read-back gate), newest first, and stops at `limit`.
 */
export interface StoreQuery extends ReadRule {
  /** The subscription pattern; stores derive the key ranges to read from it. */
  readonly pattern: string;
  /** Keep at most this many: the newest ones. */
  readonly limit: number;
  /** `admitStored()` with this query's rule: true for a message to return. */
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
  /**
   * Writes one batch in one transaction; resolves when it is committed, with how many of the
   * messages `ifAbsent` selects were stored already and left as they were (custody's writes).
   */
  write(messages: readonly Message[], ifAbsent?: (message: Message) => boolean): Promise<number>;
  /** Runs a planned query; results are oldest first. */
  query(query: StoreQuery): Promise<Message[]>;
  /** Deletes messages with `ts <= cutoff`, then the oldest beyond `maxMessages`. */
  collect(cutoff: number, maxMessages: number): Promise<Omit<GcResult, 'durationMs'>>;
  /**
   * Deletes the `count` oldest messages of the namespace; resolves with how many went, and tells
   * `onChunk` as they go (so a failure half-way still knows what was deleted).
   */
  evictOldest(count: number, onChunk?: (removed: number) => void): Promise<number>;
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
