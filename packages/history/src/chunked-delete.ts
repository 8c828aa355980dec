import type { RunOnDb } from './run-merge.ts';
import { STORE } from './schema.ts';
import { transactionDone } from './transaction-done.ts';

/**
 * While others write, a chunk aims to hold the store this long (ms), or half as long as it waited
 * for their transactions, whichever is longer: a publish waits for one short chunk, and when the
 * writers' own transactions are long, GC gets a fair share of the store and keeps up with them.
 */
export const WRITING_CHUNK_MS = 2;
/** While nobody writes, chunks grow (doubling) up to this many records. */
export const QUIET_CHUNK_SIZE = 10_000;
/** Smallest chunk (unless `maxWritingChunk` is smaller): below it, a transaction's fixed cost outweighs what it deletes. */
export const MIN_CHUNK_SIZE = 32;

/** Options of {@link deleteInChunks}. */
export interface ChunkedDeleteOptions {
  readonly runOnDb: RunOnDb;
  /** Primary keys to delete, from the lowest; both bounds included. */
  readonly lower: IDBValidKey;
  readonly upper: IDBValidKey;
  /** Most records one transaction deletes while others write; the size adapts below it. */
  readonly maxWritingChunk: number;
  /** True while writes to the database are frequent (this tab's, or other tabs' messages arriving). */
  readonly writing: () => boolean;
  readonly durability: IDBTransactionDurability;
  /** `IDBFactory#cmp` of the database's factory. */
  readonly cmp: (a: IDBValidKey, b: IDBValidKey) => number;
  /** A monotonic time in ms (`performance.now`). */
  readonly now: () => number;
  /** Awaited between two chunks, so that writes queued in this tab meanwhile go first. */
  readonly pause: () => Promise<void>;
  /** Asked after each pause; true stops early (the store was closed). */
  readonly stopped: () => boolean;
  /** Told after each chunk how many records it deleted. */
  readonly onChunk?: (removed: number) => void;
}

/**
 * Empties a key range in chunks, lowest keys first; resolves with how many records went.
 * IndexedDB runs read-write transactions on a store one at a time, in creation order: one long
 * delete would hold every write created after it. Each chunk is one transaction that finds its
 * last key with a key cursor and deletes up to it; the next is created only after it commits, so
 * writes queued meanwhile (from any tab) run between two chunks.
 *
 * The chunk size follows measured time. While others write, a chunk aims at
 * {@link WRITING_CHUNK_MS} of work (the size is scaled by target / measured, at most doubling), so
 * a publish waits for one short chunk; while nobody writes, chunks double up to
 * {@link QUIET_CHUNK_SIZE}: fewer transactions, since cutting a collection up costs more than its
 * transactions.
 */
export async function deleteInChunks(options: ChunkedDeleteOptions): Promise<number> {
  const { runOnDb, upper, durability, maxWritingChunk } = options;
  let deleted = 0;
  let writing = options.writing();
  let size = writing ? Math.min(maxWritingChunk, 500) : QUIET_CHUNK_SIZE;
  // After the first chunk the range starts above the last key deleted: starting from the bottom
  // again would make every chunk step over the deleted records' remains.
  let range = IDBKeyRange.bound(options.lower, upper);
  for (;;) {
    const current = range;
    const chunkSize = size;
    const chunk = await runOnDb((db) => deleteLowest(db, current, chunkSize, durability, options.now));
    deleted += chunk.removed;
    options.onChunk?.(chunk.removed);
    if (chunk.last === undefined || options.cmp(chunk.last, upper) >= 0) return deleted;
    writing = options.writing();
    if (writing) {
      const target = Math.max(WRITING_CHUNK_MS, chunk.waited / 2);
      const scaled = Math.round((size * target) / Math.max(chunk.ms, 0.1));
      // MIN_CHUNK_SIZE yields to a smaller gcChunkSize: that option is the most a chunk holds the store.
      size = Math.min(maxWritingChunk, Math.max(MIN_CHUNK_SIZE, Math.min(size * 2, scaled)));
    } else {
      size = Math.min(size * 2, Math.max(QUIET_CHUNK_SIZE, maxWritingChunk));
    }
    await options.pause();
    if (options.stopped()) return deleted;
    range = IDBKeyRange.bound(chunk.last, upper, true, false);
  }
}

/** What one chunk did: how many it deleted, its last key if the range goes on, how long it worked and waited. */
interface Chunk {
  readonly removed: number;
  readonly last: IDBValidKey | undefined;
  readonly ms: number;
  /** From its creation to its first answer: the other transactions it waited for. */
  readonly waited: number;
}

/**
 * Deletes the lowest `n` records of `range` in one transaction that also finds where they end.
 * Its time is counted from the cursor's first answer, not from creation: waiting behind other
 * tabs' transactions is not work of this chunk.
 */
function deleteLowest(
  db: IDBDatabase,
  range: IDBKeyRange,
  n: number,
  durability: IDBTransactionDurability,
  now: () => number,
): Promise<Chunk> {
  const created = now();
  const tx = db.transaction(STORE, 'readwrite', { durability });
  const store = tx.objectStore(STORE);
  let chunk = { removed: 0, last: undefined as IDBValidKey | undefined };
  let started: number | undefined;
  let advanced = false;
  let nth: IDBValidKey | undefined;
  // A key cursor advanced `n - 1` skips the keys between without reading them.
  const request = store.openKeyCursor(range);
  request.onsuccess = () => {
    started ??= now();
    const cursor = request.result;
    if (cursor !== null && nth === undefined) {
      if (!advanced && n > 1) {
        advanced = true;
        cursor.advance(n - 1);
        return;
      }
      // One key further tells whether the range goes on: when it ends at the n-th key, this
      // chunk is the last, and no other transaction must wait behind the writers to learn it.
      nth = cursor.primaryKey;
      cursor.continue();
      return;
    }
    if (nth !== undefined) {
      // The cursor stepped over exactly `n` records in this transaction: no count needed.
      store.delete(IDBKeyRange.bound(range.lower, nth, range.lowerOpen, false));
      chunk = { removed: n, last: cursor ? nth : undefined };
    } else {
      // Fewer than `n` left: count and delete them together, so both see the same records.
      const count = store.count(range);
      store.delete(range);
      count.onsuccess = () => {
        chunk = { removed: count.result, last: undefined };
      };
    }
    // Committing at once spares waiting for the transaction to find itself idle.
    tx.commit?.();
  };
  return transactionDone(tx).then(() => {
    const ended = now();
    return { ...chunk, ms: ended - (started ?? ended), waited: (started ?? ended) - created };
  });
}
