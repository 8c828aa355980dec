import type { Clock, Message } from '@switchboard/bus';
import { describeError, domErrorName, HistoryError } from './errors.ts';
import type { HistoryStore } from './history-store.ts';
import { createQuotaSpill, SPILL_RETRY_MAX_MS, SPILL_RETRY_MS, type SpillWrite } from './quota-spill.ts';

/** Share of the namespace deleted, oldest first, when the browser refuses a write for lack of space. */
const EVICT_FRACTION = 0.1;

/** Options of {@link createWritePath}. */
export interface WritePathOptions {
  readonly store: HistoryStore;
  readonly dbName: string;
  readonly clock: Clock;
  /** Most messages kept in memory while the browser refuses writes (the history's `maxMessages`). */
  readonly spillCapacity: number;
  readonly maxBatchSize: number;
  /** Messages written only if not stored yet (custody's); see `HistoryStore.write`. */
  readonly ifAbsent?: (message: Message) => boolean;
  /** A batch was committed; `present` of its `ifAbsent` messages were stored already. */
  readonly committed: (batch: Message[], present: number) => void;
  /** A batch will never be written (failed, reported); its messages are settled all the same. */
  readonly abandoned: (batch: Message[]) => void;
  /** Messages dropped because more than `spillCapacity` waited in memory. */
  readonly dropped: (count: number) => void;
  /** Records deleted to make room. */
  readonly evicted: (count: number) => void;
  readonly report: (error: HistoryError) => void;
  readonly log: (text: string) => void;
}

/** Writes batches to the store, making room and waiting in memory when the quota is reached. */
export interface WritePath {
  /** Writes one batch (the write batcher's `write`); never rejects. */
  persist(batch: Message[]): Promise<void>;
  /** Messages waiting in memory for the browser to take writes again, oldest first. */
  spilled(): Message[];
  /** How many messages wait in memory. */
  readonly spilledCount: number;
  stop(): void;
}

/** What `navigator.storage.estimate()` says, for messages about the quota. */
async function estimate(): Promise<string> {
  const storage = (globalThis as { navigator?: { storage?: { estimate?(): Promise<StorageEstimate> } } }).navigator
    ?.storage;
  if (typeof storage?.estimate !== 'function') return 'navigator.storage.estimate() is not available';
  try {
    const { usage, quota } = await storage.estimate();
    return `usage ${usage ?? '?'} of quota ${quota ?? '?'} bytes`;
  } catch (error) {
    return `navigator.storage.estimate() failed: ${describeError(error)}`;
  }
}

/**
 * The write path of a history (docs/history-design.md, "Degradations"): a batch goes to the store
 * in one transaction. On a quota error the oldest records (10% of the namespace, at least the
 * batch) are deleted and the batch retried. If the browser still refuses (Chromium keeps deleted
 * records' space until it compacts the database), the batch and the ones after it wait in memory,
 * in order, retried with backoff; the report says how much went and what the browser says.
 */
export function createWritePath(options: WritePathOptions): WritePath {
  const { store, dbName, report, log } = options;
  let dropped = 0;
  // The browser's last refusal, kept as the cause of the report that follows it.
  let lastQuotaError: unknown;

  const spill = createQuotaSpill({
    clock: options.clock,
    capacity: options.spillCapacity,
    chunkSize: options.maxBatchSize,
    write: (chunk) => attempt(chunk),
    onDrained: (written) => log(`the browser takes writes again: ${written} message(s) waiting in memory were stored`),
    onDropped: (count) => {
      dropped += count;
      options.dropped(count);
      report(
        new HistoryError(
          'STORAGE_FAILED',
          'quota',
          `history: ${count} message(s) waiting for storage space were dropped, the oldest first (${dropped} so far): ` +
            `more than ${options.spillCapacity} waited in memory while '${dbName}' refused writes. Free space for this origin, or lower maxMessages or ttlSeconds.`,
        ),
      );
    },
  });

  /** One write; quota errors are left to the caller, other failures are reported here. */
  async function attempt(batch: Message[]): Promise<SpillWrite> {
    try {
      const present = await store.write(batch, options.ifAbsent);
      options.committed(batch, present);
      return 'stored';
    } catch (error) {
      if (domErrorName(error) === 'QuotaExceededError') {
        lastQuotaError = error;
        return 'quota';
      }
      options.abandoned(batch);
      report(
        new HistoryError(
          'STORAGE_FAILED',
          'write',
          `history: writing ${batch.length} message(s) to '${dbName}' failed (${describeError(error)}); ` +
            'they were not stored. The bus keeps running.',
          { cause: error },
        ),
      );
      return 'failed';
    }
  }

  async function makeRoom(batch: Message[]): Promise<void> {
    const before = await estimate();
    let deleted = 0;
    try {
      const stored = await store.count();
      await store.evictOldest(Math.max(batch.length, Math.ceil(stored * EVICT_FRACTION)), (removed) => {
        deleted += removed;
      });
    } catch (error) {
      options.evicted(deleted);
      spill.add(batch);
      report(
        quotaError(
          batch,
          `deleting the oldest records to make room failed after ${deleted} (${describeError(error)})`,
          error,
        ),
      );
      return;
    }
    options.evicted(deleted);
    const outcome = await attempt(batch);
    if (outcome === 'failed') return;
    if (outcome === 'stored') {
      report(
        quotaError(
          batch,
          `the ${deleted} oldest message(s) were deleted to make room and the batch was stored (${before})`,
          lastQuotaError,
        ),
      );
      return;
    }
    spill.add(batch);
    const after = await estimate();
    report(
      quotaError(
        batch,
        `the ${deleted} oldest message(s) were deleted, yet the browser still refuses writes (before: ${before}; after: ${after}); ` +
          'IndexedDB releases deleted records\u2019 space only when it compacts the database. This batch and later ones wait in memory ' +
          `(up to ${options.spillCapacity} messages, this tab only), retried every ${SPILL_RETRY_MS / 1000}-${SPILL_RETRY_MAX_MS / 1000} s`,
        lastQuotaError,
      ),
    );
  }

  function quotaError(batch: Message[], what: string, cause?: unknown): HistoryError {
    return new HistoryError(
      'STORAGE_FAILED',
      'quota',
      `history: storage quota exceeded writing ${batch.length} message(s) to '${dbName}': ${what}. ` +
        'Lower maxMessages or ttlSeconds, or free space for this origin.',
      cause === undefined ? {} : { cause },
    );
  }

  return {
    async persist(batch) {
      // Behind messages already waiting for space: they go first, in publish order.
      if (spill.active) {
        spill.add(batch);
        return;
      }
      if ((await attempt(batch)) === 'quota') await makeRoom(batch);
    },
    spilled: () => spill.messages(),
    get spilledCount() {
      return spill.size;
    },
    stop: () => spill.stop(),
  };
}
