import { SwitchboardError, type Clock, type Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import type { HistoryError } from './errors.ts';

/**
 * Options of {@link createHistoryAdapter}. Every tab that shares a `dbName` and `namespace`
 * should use the same `ttlSeconds` and `maxMessages`: reads apply the reading tab's TTL, GC the
 * leader's.
 */
export interface HistoryOptions {
  /**
   * IndexedDB database name; one database holds any number of namespaces.
   * @default 'switchboard-history'
   */
  dbName?: string;
  /**
   * Isolates this history from others in the same database: queries, GC, `clear()` and
   * `maxMessages` see only their namespace.
   * @default 'default'
   */
  namespace?: string;
  /**
   * How long a message lives, in seconds. An expired message is never returned, even before GC
   * deletes it. `Infinity` keeps messages until `maxMessages` trims them.
   * @default 86400 (one day)
   */
  ttlSeconds?: number;
  /**
   * Most messages kept in the namespace; GC deletes the oldest beyond it.
   * @default 10000
   */
  maxMessages?: number;
  /**
   * Time between garbage collections, in ms; GC runs in the leader tab only. 0 turns automatic GC
   * off (call `gc()` yourself).
   * @default 60000
   */
  gcIntervalMs?: number;
  /**
   * Most records one GC transaction deletes while the database is written to (by this tab, or by
   * the tabs whose messages arrive here). GC deletes in chunks, one short transaction each, and
   * writes queued meanwhile go between them; below this bound the size follows measured time,
   * about 2 ms of work per chunk, so a publish during GC waits for one short chunk. While nobody
   * writes, chunks double up to 10,000 records (or this size if larger).
   * @default 2000
   */
  gcChunkSize?: number;
  /**
   * Logs connection events, batches and GC runs to the console.
   * @default false
   */
  debug?: boolean;
  /**
   * Receives storage failures (quota, failed writes, GC errors). Without it they go to the bus's
   * `onError` hook. The bus keeps running either way.
   */
  onError?: (error: HistoryError) => void;
  /**
   * Store Switchboard's own `$sys.` events too (tab joined, leader changed…).
   * @default false
   */
  includeSystem?: boolean;
  /** Store only the messages this returns true for (after the `$sys.` rule). */
  persist?: (message: Message) => boolean;
  /**
   * How long a batch stays open for more messages, in ms. 0 closes it at the end of the current
   * task: a synchronous burst of publishes becomes one transaction, a lone publish is written at
   * once. Raise it to merge publishes spread over several tasks.
   * @default 0
   */
  batchDelayMs?: number;
  /**
   * Most messages in one write transaction. One batch per tab is in flight at a time; messages
   * published meanwhile wait and form the next one, split at this size. A transaction holds the
   * store for every other tab (and for queries) while it runs, so larger batches save little
   * per-transaction cost and make everyone else wait longer.
   * @default 2000
   */
  maxBatchSize?: number;
  /**
   * IndexedDB commit hint for writes. `'relaxed'` returns once the data reaches the OS, which is
   * safe against a closed or crashed tab and much faster than `'strict'`.
   * @default 'relaxed'
   */
  durability?: IDBTransactionDurability;
  /**
   * The IndexedDB factory to use; `null` means none (memory only). Tests pass
   * `new IDBFactory()` from `fake-indexeddb` here.
   * @default globalThis.indexedDB
   */
  indexedDB?: IDBFactory | null;
  /** Time source for TTL and the GC timer. @default systemClock */
  clock?: Clock;
}

/** Options with defaults applied and values checked. */
export interface ResolvedOptions {
  readonly dbName: string;
  readonly namespace: string;
  readonly ttlMs: number;
  readonly maxMessages: number;
  readonly gcIntervalMs: number;
  readonly gcChunkSize: number;
  readonly debug: boolean;
  readonly onError: ((error: HistoryError) => void) | undefined;
  readonly includeSystem: boolean;
  readonly persist: ((message: Message) => boolean) | undefined;
  readonly batchDelayMs: number;
  readonly maxBatchSize: number;
  readonly durability: IDBTransactionDurability;
  readonly clock: Clock;
}

/** Applies defaults and checks every option, throwing an `INVALID_OPTION` error naming the bad one. */
export function resolveOptions(options: HistoryOptions): ResolvedOptions {
  const fn = 'createHistoryAdapter';
  const text = (name: string, value: unknown, fallback: string): string => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value === '') invalid(`${name} must be a non-empty string, got ${String(value)}`);
    return value;
  };
  const number = (name: string, value: unknown, fallback: number, min: number, integer: boolean): number => {
    if (value === undefined) return fallback;
    if (
      typeof value !== 'number' ||
      Number.isNaN(value) ||
      value < min ||
      (integer && value !== Infinity && !Number.isInteger(value))
    ) {
      invalid(
        `${name} must be ${integer ? 'a whole number' : 'a number'} >= ${min}${name === 'gcIntervalMs' ? '' : ' or Infinity'}, got ${String(value)}`,
      );
    }
    return value;
  };
  function invalid(problem: string): never {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}(): options.${problem}; see the option's documentation for its meaning.`,
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') invalid('onError must be a function');
  if (options.persist !== undefined && typeof options.persist !== 'function') invalid('persist must be a function');
  const ttlSeconds = number('ttlSeconds', options.ttlSeconds, 86_400, Number.MIN_VALUE, false);
  const gcIntervalMs = number('gcIntervalMs', options.gcIntervalMs, 60_000, 0, false);
  if (gcIntervalMs === Infinity) invalid('gcIntervalMs must be finite; use 0 to turn automatic GC off');
  return {
    dbName: text('dbName', options.dbName, 'switchboard-history'),
    namespace: text('namespace', options.namespace, 'default'),
    ttlMs: ttlSeconds * 1000,
    maxMessages: number('maxMessages', options.maxMessages, 10_000, 1, true),
    gcIntervalMs,
    gcChunkSize: number('gcChunkSize', options.gcChunkSize, 2_000, 1, true),
    debug: options.debug ?? false,
    onError: options.onError,
    includeSystem: options.includeSystem ?? false,
    persist: options.persist,
    batchDelayMs: number('batchDelayMs', options.batchDelayMs, 0, 0, false),
    maxBatchSize: number('maxBatchSize', options.maxBatchSize, 2_000, 1, true),
    durability: options.durability ?? 'relaxed',
    clock: options.clock ?? systemClock,
  };
}
