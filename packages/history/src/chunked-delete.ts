import type { RunOnDb } from './run-merge.ts';
import { STORE } from './schema.ts';

/** Least work (ms) a chunk aims at: below it, the turns between transactions outweigh what they delete. */
export const CHUNK_MS = 8;
/** Most work (ms) a chunk aims at, however long others hold the store between two chunks. */
export const MAX_CHUNK_MS = 40;
/** A chunk aims at this many times the time others held the store since the previous one. */
const FAIR_SHARE = 2;
/** Records the first chunk deletes: a probe of the store's speed. */
export const FIRST_CHUNK_SIZE = 256;
/** Smallest chunk (unless `maxWritingChunk` is smaller). */
export const MIN_CHUNK_SIZE = 32;
/** Most records one chunk deletes while this tab knows of no writes. */
const MAX_CHUNK_SIZE = 10_000;
/** A chunk is at most this many times the previous one: its keys are read ahead by that one. */
const GROWTH = 2;

/** Options of {@link deleteInChunks}. */
export interface ChunkedDeleteOptions {
  readonly runOnDb: RunOnDb;
  /** Primary keys to delete, from the lowest; both bounds included. */
  readonly lower: IDBValidKey;
  readonly upper: IDBValidKey;
  /** Most records one transaction deletes while `writing()` is true. */
  readonly maxWritingChunk: number;
  /** True while this tab knows the database is written to (its own writes, other tabs' messages arriving). */
  readonly writing: () => boolean;
  readonly durability: IDBTransactionDurability;
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
 * delete would hold every write created after it, from this tab or another, whether this tab hears
 * of them or not. Each chunk is one transaction, and the next is created only after it commits, so
 * writes queued meanwhile run between two chunks.
 *
 * A chunk never waits on this page while it holds the store: its requests (count, delete, the
 * next chunk's keys) and its commit are sent together, so it holds the store only for the storage
 * engine's work, however busy the page or the machine. The previous chunk read the keys that
 * bound it. Its size follows measured time: it aims at {@link CHUNK_MS} of work, or
 * {@link FAIR_SHARE} times the time others held the store since the previous chunk, at most
 * {@link MAX_CHUNK_MS}. A publish then waits for one short chunk, and GC keeps a fair share of
 * the store when other writers are slow.
 */
export async function deleteInChunks(options: ChunkedDeleteOptions): Promise<number> {
  const { runOnDb, upper, durability, now } = options;
  let deleted = 0;
  let size = Math.min(FIRST_CHUNK_SIZE, largest(options));
  // The lowest records of the range, read in a read-only transaction: where the first chunk ends.
  const first = IDBKeyRange.bound(options.lower, upper);
  let ahead = await runOnDb((db) => readKeys(db, first, size));
  let range = first;
  let ended: number | undefined;
  for (;;) {
    // Fewer keys read than the chunk may hold: the chunk empties the range, and whatever was written
    // into it since is deleted and counted too.
    const last = ahead.length > size ? ahead[size - 1] : undefined;
    const current = last === undefined ? range : IDBKeyRange.bound(range.lower, last, range.lowerOpen, false);
    const rest = last === undefined ? undefined : IDBKeyRange.bound(last, upper, true, false);
    const cap = Math.min(size * GROWTH, largest(options));
    const chunk = await runOnDb((db) => deleteChunk(db, current, rest, cap, durability, now));
    deleted += chunk.removed;
    options.onChunk?.(chunk.removed);
    if (rest === undefined || chunk.ahead.length === 0) return deleted;
    // From the previous chunk's commit to this one's start: others' transactions and the turns between.
    const others = ended === undefined ? 0 : Math.max(0, chunk.started - ended);
    ended = chunk.ended;
    const target = Math.min(MAX_CHUNK_MS, Math.max(CHUNK_MS, FAIR_SHARE * others));
    const scaled = Math.round((Math.max(chunk.removed, 1) * target) / Math.max(chunk.ended - chunk.started, 0.1));
    // MIN_CHUNK_SIZE yields to a smaller gcChunkSize: that option is the most a chunk holds while others write.
    size = Math.min(cap, Math.max(Math.min(MIN_CHUNK_SIZE, largest(options)), scaled));
    ahead = chunk.ahead;
    range = rest;
    await options.pause();
    if (options.stopped()) return deleted;
  }
}

/** Most records one chunk may delete now. */
function largest(options: ChunkedDeleteOptions): number {
  return options.writing() ? Math.min(options.maxWritingChunk, MAX_CHUNK_SIZE) : MAX_CHUNK_SIZE;
}

/** The lowest `n + 1` keys of `range`: one more than a chunk of `n` tells whether it ends the range. */
function readKeys(db: IDBDatabase, range: IDBKeyRange, n: number): Promise<IDBValidKey[]> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readonly');
    const request = tx.objectStore(STORE).getAllKeys(range, n + 1);
    tx.commit?.();
    tx.oncomplete = () => resolve(request.result);
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}

/** What one chunk did: how many it deleted, the keys after it, when it started and committed (as this page heard). */
interface Chunk {
  readonly removed: number;
  readonly ahead: IDBValidKey[];
  readonly started: number;
  readonly ended: number;
}

/**
 * Counts and deletes `range` in one transaction, and reads the lowest `n + 1` keys of `rest` for
 * the next chunk. Every request and the commit go at once: nothing waits for this page while the
 * transaction holds the store. A first, one-key read marks when it started.
 */
function deleteChunk(
  db: IDBDatabase,
  range: IDBKeyRange,
  rest: IDBKeyRange | undefined,
  n: number,
  durability: IDBTransactionDurability,
  now: () => number,
): Promise<Chunk> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability });
    const store = tx.objectStore(STORE);
    let started: number | undefined;
    const mark = store.getKey(range);
    mark.onsuccess = () => {
      started = now();
    };
    const count = store.count(range);
    store.delete(range);
    const next = rest === undefined ? undefined : store.getAllKeys(rest, n + 1);
    // Committing at once spares waiting for this page to find the transaction idle.
    tx.commit?.();
    tx.oncomplete = () => {
      const ended = now();
      resolve({ removed: count.result, ahead: next?.result ?? [], started: started ?? ended, ended });
    };
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}
