import { unwrap } from 'idb';
import { STORE, type HistoryDb } from './schema.ts';

/** Options of {@link deleteInChunks}. */
export interface ChunkedDeleteOptions {
  /** Runs one step on an open connection (on a fresh one if the connection closed under it). */
  readonly run: <T>(work: (db: HistoryDb) => Promise<T>) => Promise<T>;
  /** Primary keys to delete, from the lowest; both bounds included. */
  readonly lower: IDBValidKey;
  readonly upper: IDBValidKey;
  /** Most records one transaction deletes while others write. */
  readonly chunkSize: number;
  /** Most records one transaction deletes while nobody writes. */
  readonly maxChunkSize: number;
  /** True while writes to the database are frequent. */
  readonly writing: () => boolean;
  readonly durability: IDBTransactionDurability;
  /** `IDBFactory#cmp` of the database's factory. */
  readonly cmp: (a: IDBValidKey, b: IDBValidKey) => number;
  /** Awaited between two chunks while nobody writes, so that a write queued meanwhile goes first. */
  readonly pause: () => Promise<void>;
  /**
   * Awaited between two chunks while others write: longer, so that the deletes leave the storage
   * engine room for their writes (back to back, they made it stall now and then).
   */
  readonly pauseWhileWriting: () => Promise<void>;
  /** Asked after each pause; true stops early (the store was closed). */
  readonly stopped: () => boolean;
}

/**
 * Empties a key range in chunks, lowest keys first; resolves with how many records went.
 * IndexedDB runs read-write transactions on a store one at a time, in creation order: one long
 * delete would hold every write created after it. Short chunks, each created after a pause, let
 * those writes run in between.
 *
 * While others write, chunks hold `chunkSize` records and a read-only transaction finds each
 * chunk's last key first, so the read-write one sends its count and delete at once and holds
 * writers for one round trip; chunks are then spaced by `pauseWhileWriting`. While nobody writes,
 * chunks hold `maxChunkSize` records (doubling back up to it after writes stop) and one
 * transaction does both steps.
 */
export async function deleteInChunks(options: ChunkedDeleteOptions): Promise<number> {
  const { run, upper, chunkSize, durability } = options;
  let deleted = 0;
  // Quiet at the start: the largest chunks. Chunking costs far more than its transactions in
  // Chromium (10,000 records: ~38 ms in one chunk, ~60 ms in four), and a write arriving
  // meanwhile is rare (GC runs once a minute in one tab) and only waits for its commit.
  let writing = options.writing();
  let size = writing ? chunkSize : options.maxChunkSize;
  // After the first chunk the range starts above the last key deleted: starting from the bottom
  // again would make every chunk step over the deleted records' remains.
  let range = IDBKeyRange.bound(options.lower, upper);
  for (;;) {
    const chunk = writing
      ? await run(async (db) => countAndDelete(db, range, await keyAt(db, range, size), durability))
      : await run((db) => deleteLowest(db, range, size, durability));
    deleted += chunk.removed;
    if (chunk.last === undefined || options.cmp(chunk.last, upper) >= 0) return deleted;
    writing = options.writing();
    await (writing ? options.pauseWhileWriting() : options.pause());
    if (options.stopped()) return deleted;
    range = IDBKeyRange.bound(chunk.last, upper, true, false);
    size = writing ? chunkSize : Math.min(size * 2, options.maxChunkSize);
  }
}

/** What one chunk did: how many it deleted, and its last key if the range goes on beyond it. */
interface Chunk {
  readonly removed: number;
  readonly last: IDBValidKey | undefined;
}

/**
 * Calls `found` with the `n`-th lowest key of `range`, or undefined if it holds fewer. A key
 * cursor advanced `n - 1` skips the keys between without reading them (getAllKeys costs ~5 µs a
 * key in Chromium).
 */
function findKey(
  store: IDBObjectStore,
  range: IDBKeyRange,
  n: number,
  found: (key: IDBValidKey | undefined) => void,
): void {
  let advanced = false;
  const request = store.openKeyCursor(range);
  request.onsuccess = () => {
    const cursor = request.result;
    if (cursor !== null && !advanced && n > 1) {
      advanced = true;
      cursor.advance(n - 1);
      return;
    }
    found(cursor?.primaryKey);
  };
}

/** {@link findKey} in a read-only transaction of its own. */
function keyAt(db: HistoryDb, range: IDBKeyRange, n: number): Promise<IDBValidKey | undefined> {
  return new Promise((resolve, reject) => {
    const tx = unwrap(db).transaction(STORE, 'readonly');
    let key: IDBValidKey | undefined;
    findKey(tx.objectStore(STORE), range, n, (found) => {
      key = found;
    });
    tx.oncomplete = () => resolve(key);
    tx.onabort = () => reject(aborted(tx));
  });
}

/** Deletes the lowest `n` records of `range` in one transaction that also finds where they end. */
function deleteLowest(
  db: HistoryDb,
  range: IDBKeyRange,
  n: number,
  durability: IDBTransactionDurability,
): Promise<Chunk> {
  return new Promise((resolve, reject) => {
    const tx = unwrap(db).transaction(STORE, 'readwrite', { durability });
    const store = tx.objectStore(STORE);
    let chunk: Chunk = { removed: 0, last: undefined };
    findKey(store, range, n, (last) => {
      if (last !== undefined) {
        // The cursor just stepped over exactly `n` records, in this transaction: no count needed
        // (counting walks the range once more, ~1 µs a record in Chromium).
        store.delete(IDBKeyRange.bound(range.lower, last, range.lowerOpen, false));
        chunk = { removed: n, last };
      } else {
        const count = countAndDeleteIn(store, range, last);
        count.onsuccess = () => {
          chunk = { removed: count.result, last };
        };
      }
      // As in countAndDelete.
      tx.commit?.();
    });
    tx.oncomplete = () => resolve(chunk);
    tx.onabort = () => reject(aborted(tx));
  });
}

/** Deletes the records of `range` up to `last` (all of them if undefined) in one transaction. */
function countAndDelete(
  db: HistoryDb,
  range: IDBKeyRange,
  last: IDBValidKey | undefined,
  durability: IDBTransactionDurability,
): Promise<Chunk> {
  return new Promise((resolve, reject) => {
    const tx = unwrap(db).transaction(STORE, 'readwrite', { durability });
    const count = countAndDeleteIn(tx.objectStore(STORE), range, last);
    // Committing at once spares waiting for the transaction to find itself idle.
    tx.commit?.();
    tx.oncomplete = () => resolve({ removed: count.result, last });
    tx.onabort = () => reject(aborted(tx));
  });
}

/**
 * Requests the count and the delete of `range` up to `last` together: in one transaction they see
 * the same records, whatever other tabs write or delete around them, and cost one round trip.
 */
function countAndDeleteIn(
  store: IDBObjectStore,
  range: IDBKeyRange,
  last: IDBValidKey | undefined,
): IDBRequest<number> {
  const chunk = last === undefined ? range : IDBKeyRange.bound(range.lower, last, range.lowerOpen, false);
  const count = store.count(chunk);
  store.delete(chunk);
  return count;
}

/** A transaction whose error is null was aborted by a closing connection. */
function aborted(tx: IDBTransaction): DOMException {
  return tx.error ?? new DOMException('The transaction was aborted.', 'AbortError');
}
