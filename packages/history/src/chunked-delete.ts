import type { RunOnDb } from './run-merge.ts';
import { STORE } from './schema.ts';

/**
 * While others write, a chunk aims to hold the store this long (ms), or as long as GC spent
 * outside the store since the previous chunk (the writers' transactions, the page's delays),
 * whichever is longer: a publish waits for one short chunk, and GC spends at least about half its
 * time deleting, so it keeps up with busy writers and a loaded machine.
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
 * delete would hold every write created after it. Each chunk is one transaction; the next is
 * created only after it commits, so writes queued meanwhile (from any tab) run between two chunks.
 *
 * A chunk never waits on the page while it holds the store: it knows its last key before it
 * starts (the previous transaction looked it up), so it sends everything at once (count its range,
 * delete it, look up the keys of the next chunk) and commits. A key cursor stepped inside the
 * transaction would hold the store for two round trips to the page, which a busy page answers late.
 *
 * The chunk size follows measured time. While others write, a chunk aims at
 * {@link WRITING_CHUNK_MS} of work (the size is scaled by target / measured, at most doubling), so
 * a publish waits for one short chunk; while nobody writes, chunks double up to
 * {@link QUIET_CHUNK_SIZE}: fewer transactions, since cutting a collection up costs more than its
 * transactions.
 */
export async function deleteInChunks(options: ChunkedDeleteOptions): Promise<number> {
  const { runOnDb, upper, durability, maxWritingChunk, cmp } = options;
  const cap = Math.max(QUIET_CHUNK_SIZE, maxWritingChunk);
  let deleted = 0;
  let writing = options.writing();
  let size = writing ? Math.min(maxWritingChunk, 500) : QUIET_CHUNK_SIZE;
  // After the first chunk the range starts above the last key deleted: starting from the bottom
  // again would make every chunk step over the deleted records' remains.
  let range = IDBKeyRange.bound(options.lower, upper);
  let keys = await runOnDb((db) => lowestKeys(db, range, size));
  let previousEnd: number | undefined;
  for (;;) {
    // The chunk's last key, or undefined when fewer than `size` are left: the chunk takes the rest.
    const end = keys.length >= size ? keys[size - 1] : undefined;
    const rest = end !== undefined && cmp(end, upper) < 0;
    const current = end === undefined ? range : IDBKeyRange.bound(range.lower, end, range.lowerOpen, false);
    // Keys enough for any size the next chunk may take: at most double, within the current mode's bound.
    const ahead = rest ? Math.min(size * 2, writing ? maxWritingChunk : cap) : 0;
    const next = rest ? IDBKeyRange.bound(end, upper, true, false) : undefined;
    const chunk = await runOnDb((db) => deleteChunk(db, current, next, ahead, durability, options.now));
    deleted += chunk.removed;
    options.onChunk?.(chunk.removed);
    // Nothing above it when it looked: done, as the range was when this chunk ran.
    if (next === undefined || chunk.next.length === 0) return deleted;
    writing = options.writing();
    const outside = previousEnd === undefined ? chunk.waited : chunk.startedAt - previousEnd;
    previousEnd = chunk.startedAt + chunk.ms;
    if (writing) {
      const target = Math.max(WRITING_CHUNK_MS, outside);
      const scaled = Math.round((size * target) / Math.max(chunk.ms, 0.1));
      // MIN_CHUNK_SIZE yields to a smaller gcChunkSize: that option is the most a chunk holds the store.
      size = Math.min(maxWritingChunk, Math.max(MIN_CHUNK_SIZE, Math.min(size * 2, scaled)));
    } else {
      size = Math.min(size * 2, cap);
    }
    // The writing mode may have ended since the look-up: no bigger than the keys it found.
    size = Math.max(1, Math.min(size, ahead));
    await options.pause();
    if (options.stopped()) return deleted;
    range = next;
    keys = chunk.next;
  }
}

/** What one chunk did: how many it deleted, the next chunk's keys, how long it worked and waited. */
interface Chunk {
  readonly removed: number;
  readonly next: IDBValidKey[];
  readonly ms: number;
  /** From its creation to its first answer: the other transactions it waited for. */
  readonly waited: number;
  /** When its first answer came (`now()`). */
  readonly startedAt: number;
}

/** The lowest `n` keys of `range`, read in a read-only transaction (the first chunk's end). */
function lowestKeys(db: IDBDatabase, range: IDBKeyRange, n: number): Promise<IDBValidKey[]> {
  return new Promise((resolve, reject) => {
    const request = db.transaction(STORE, 'readonly').objectStore(STORE).getAllKeys(range, n);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Counts and deletes `range` in one read-write transaction that also reads the lowest `ahead`
 * keys of `next`, all requested at once and committed at once: the store does one stretch of work
 * and never waits on the page. Its time is counted from the first answer, not from creation:
 * waiting behind other tabs' transactions is not work of this chunk.
 */
function deleteChunk(
  db: IDBDatabase,
  range: IDBKeyRange,
  next: IDBKeyRange | undefined,
  ahead: number,
  durability: IDBTransactionDurability,
  now: () => number,
): Promise<Chunk> {
  return new Promise((resolve, reject) => {
    const created = now();
    const tx = db.transaction(STORE, 'readwrite', { durability });
    const store = tx.objectStore(STORE);
    let started: number | undefined;
    // Count and delete see the same records: the count is exact.
    const count = store.count(range);
    count.onsuccess = () => {
      started = now();
    };
    store.delete(range);
    const following = next === undefined ? undefined : store.getAllKeys(next, ahead);
    // Committing at once spares waiting for the transaction to find itself idle.
    tx.commit?.();
    tx.oncomplete = () => {
      const ended = now();
      resolve({
        removed: count.result,
        next: following?.result ?? [],
        ms: ended - (started ?? ended),
        waited: (started ?? ended) - created,
        startedAt: started ?? ended,
      });
    };
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}
