import type { RunOnDb } from './run-merge.ts';
import { STORE } from './schema.ts';

/**
 * While writes are seen (this tab's, or other tabs' messages arriving), a chunk aims to hold the
 * store this long (ms): a publish waits for one short chunk.
 */
export const WRITING_CHUNK_MS = 2;
/**
 * While no writes are seen, a chunk aims at this much work: still short, since a tab whose
 * messages never reach this one (no cross-tab, another bus) may be writing to the same store.
 */
export const QUIET_CHUNK_MS = 4;
/** Records the first chunk deletes, unless the floor (`minChunk`) is higher; later sizes follow measured time. */
export const FIRST_CHUNK_SIZE = 128;
/**
 * Smallest chunk (unless `maxChunk` is smaller), a few ms of deletes in Chromium. Each chunk also
 * costs a round trip through the page, which on a busy machine takes far longer than its work
 * measures; a floor in records, not ms, keeps the number of chunks (and the total) bounded there,
 * while a writer still waits for at most one chunk of deletes, never for the page.
 */
export const MIN_CHUNK_SIZE = 256;

/** Options of {@link deleteInChunks}. */
export interface ChunkedDeleteOptions {
  readonly runOnDb: RunOnDb;
  /** Primary keys to delete, from the lowest; both bounds included. */
  readonly lower: IDBValidKey;
  readonly upper: IDBValidKey;
  /** Most records one transaction deletes; the size adapts below it. */
  readonly maxChunk: number;
  /** Fewest records one transaction deletes (unless `maxChunk` is smaller). @default MIN_CHUNK_SIZE */
  readonly minChunk?: number;
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
 * delete would hold every write created after it, from any tab. Each chunk is one transaction,
 * and the next is created only after it commits, so writes queued meanwhile run between two chunks.
 *
 * A chunk never waits for this tab while it holds the store: it knows its last key already (the
 * previous chunk looked it up), so it sends all its requests at once (count, delete the range,
 * look up the next chunk's last key) and commits. The store does one stretch of work per chunk,
 * with no round trip to a busy page in the middle of it.
 *
 * The chunk size follows measured time: a chunk aims at {@link WRITING_CHUNK_MS} of work while
 * writes are seen and {@link QUIET_CHUNK_MS} otherwise (scaled by target / measured, at most
 * doubling, never below {@link MIN_CHUNK_SIZE}), so a write that arrives during GC waits a few ms,
 * whoever makes it; a chunk that waited long for others' transactions may work as long as it waited.
 */
export async function deleteInChunks(options: ChunkedDeleteOptions): Promise<number> {
  const { runOnDb, lower, upper, durability, maxChunk, minChunk = MIN_CHUNK_SIZE } = options;
  let size = Math.min(maxChunk, Math.max(minChunk, FIRST_CHUNK_SIZE));
  // The first chunk's last key, from a read-only look; `undefined`: the rest fits in one chunk.
  let last = await runOnDb((db) => nthKey(db, IDBKeyRange.bound(lower, upper), size));
  // Each chunk starts above the previous one's last key: starting from the bottom again would
  // make every chunk step over the deleted records' remains.
  let range = IDBKeyRange.bound(lower, last ?? upper);
  let deleted = 0;
  for (;;) {
    const current = range;
    // A chunk that ends at `upper` has nothing ahead (and an empty range would be an error).
    const ahead =
      last === undefined || options.cmp(last, upper) >= 0 ? undefined : IDBKeyRange.bound(last, upper, true, false);
    const chunk = await runOnDb((db) => deleteChunk(db, current, ahead, size, durability, options.now));
    deleted += chunk.removed;
    options.onChunk?.(chunk.removed);
    // Nothing beyond this chunk (it reached `upper`, or the look ahead found no key).
    if (ahead === undefined || chunk.ahead === 0) return deleted;
    const perMs = Math.max(chunk.removed, 1) / Math.max(chunk.ms, 1);
    const target = options.writing() ? WRITING_CHUNK_MS : QUIET_CHUNK_MS;
    // The floor yields to a smaller maxChunk: that option bounds the chunks sized by time.
    const byTime = Math.min(maxChunk, Math.max(minChunk, Math.min(size * 2, Math.round(perMs * target))));
    // When other transactions keep the store busy, a chunk may work as long as it waited for them,
    // maxChunk or not: GC gets half of the store instead of waiting behind every writer's backlog
    // once per chunk, and a writer waits at most twice what it waited anyway.
    const byWait = Math.round(perMs * chunk.waited);
    const nextSize = Math.max(byTime, byWait);
    // The chunk looked `size` keys ahead: fewer means the rest (up to `upper`) is the last chunk.
    const from = last as IDBValidKey;
    last = chunk.ahead === size ? chunk.aheadLast : undefined;
    size = nextSize;
    range = IDBKeyRange.bound(from, last ?? upper, true, false);
    await options.pause();
    if (options.stopped()) return deleted;
  }
}

/** What one chunk did: how many it deleted, what it saw ahead, how long it worked and waited. */
interface Chunk {
  readonly removed: number;
  /** Keys found ahead (at most the size asked for), and the last of them. */
  readonly ahead: number;
  readonly aheadLast: IDBValidKey | undefined;
  readonly ms: number;
  /** From its creation to its first answer: the other transactions it waited for. */
  readonly waited: number;
}

/**
 * Counts and deletes `range`, and finds the first `n` keys of `ahead`, in one read-write
 * transaction whose requests are all sent at once. The count is taken in the same transaction
 * as the delete, so it is exact even when another tab deletes some of the same records. Time is
 * counted from the first answer, not from creation: waiting behind other transactions is not
 * work of this chunk.
 */
function deleteChunk(
  db: IDBDatabase,
  range: IDBKeyRange,
  ahead: IDBKeyRange | undefined,
  n: number,
  durability: IDBTransactionDurability,
  now: () => number,
): Promise<Chunk> {
  return new Promise((resolve, reject) => {
    const created = now();
    const tx = db.transaction(STORE, 'readwrite', { durability });
    const store = tx.objectStore(STORE);
    let started: number | undefined;
    const count = store.count(range);
    count.onsuccess = () => {
      started = now();
    };
    store.delete(range);
    const keys = ahead === undefined ? undefined : store.getAllKeys(ahead, n);
    // Committing at once spares waiting for the transaction to find itself idle.
    tx.commit?.();
    tx.oncomplete = () => {
      const ended = now();
      const found = keys?.result ?? [];
      resolve({
        removed: count.result,
        ahead: found.length,
        aheadLast: found[found.length - 1],
        ms: ended - (started ?? ended),
        waited: (started ?? ended) - created,
      });
    };
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}

/** The `n`-th key of `range` in one read-only transaction, or undefined when it holds fewer. */
function nthKey(db: IDBDatabase, range: IDBKeyRange, n: number): Promise<IDBValidKey | undefined> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readonly');
    const keys = tx.objectStore(STORE).getAllKeys(range, n);
    tx.oncomplete = () => resolve(keys.result.length === n ? keys.result[n - 1] : undefined);
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}
