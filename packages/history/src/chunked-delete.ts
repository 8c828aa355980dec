import { unwrap } from 'idb';
import { STORE, type HistoryDb } from './schema.ts';

/** Options of {@link deleteInChunks}. */
export interface ChunkedDeleteOptions {
  /** Runs one chunk on an open connection (on a fresh one if the connection closed under it). */
  readonly run: <T>(work: (db: HistoryDb) => Promise<T>) => Promise<T>;
  /** Primary keys to delete, from the lowest; both bounds included. */
  readonly lower: IDBValidKey;
  readonly upper: IDBValidKey;
  /** Most records deleted by one transaction. */
  readonly chunkSize: number;
  readonly durability: IDBTransactionDurability;
  /** `IDBFactory#cmp` of the database's factory. */
  readonly cmp: (a: IDBValidKey, b: IDBValidKey) => number;
  /** Awaited between two chunks, so that writes queued meanwhile go first. */
  readonly pause: () => Promise<void>;
  /** Asked after each pause; true stops early (the store was closed). */
  readonly stopped: () => boolean;
}

/** What one chunk did: how many it deleted, and the last key if the range goes on beyond it. */
interface Chunk {
  readonly removed: number;
  readonly last: IDBValidKey | undefined;
}

/**
 * Empties a key range, `chunkSize` records per transaction, lowest keys first; resolves with how
 * many went. IndexedDB runs read-write transactions on a store one at a time, in creation order:
 * one long delete would hold every write created after it. Short chunks, each created after a
 * pause, let those writes run in between. Each chunk finds its upper key in its own transaction,
 * so it deletes exactly the records it counted.
 */
export async function deleteInChunks(options: ChunkedDeleteOptions): Promise<number> {
  const { run, upper, chunkSize, durability } = options;
  let deleted = 0;
  // After the first chunk the range starts above the last key deleted: starting from the bottom
  // again would make every chunk step over the deleted records' remains.
  let range = IDBKeyRange.bound(options.lower, upper);
  for (;;) {
    const chunk = await run((db) => deleteChunk(unwrap(db), range, chunkSize, durability));
    deleted += chunk.removed;
    if (chunk.last === undefined || options.cmp(chunk.last, upper) >= 0) return deleted;
    await options.pause();
    if (options.stopped()) return deleted;
    range = IDBKeyRange.bound(chunk.last, upper, true, false);
  }
}

/**
 * Deletes the lowest `count` records of `range` in one transaction: a key cursor advanced
 * `count - 1` finds the upper key without reading the keys between (getAllKeys costs ~5 µs a key
 * in Chromium), then one range delete. Raw callbacks and an explicit commit save round trips.
 */
function deleteChunk(db: IDBDatabase, range: IDBKeyRange, count: number, durability: IDBTransactionDurability): Promise<Chunk> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability });
    const store = tx.objectStore(STORE);
    let chunk: Chunk = { removed: 0, last: undefined };
    let advanced = false;
    const cursorRequest = store.openKeyCursor(range);
    cursorRequest.onsuccess = () => {
      const cursor = cursorRequest.result;
      if (cursor !== null && !advanced && count > 1) {
        advanced = true;
        cursor.advance(count - 1);
        return;
      }
      if (cursor !== null) {
        chunk = { removed: count, last: cursor.primaryKey };
        store.delete(IDBKeyRange.bound(range.lower, cursor.primaryKey, range.lowerOpen, false));
      } else if (advanced) {
        // Fewer than `count` left: the last chunk counts them, then deletes the rest of the range.
        const countRequest = store.count(range);
        countRequest.onsuccess = () => void (chunk = { removed: countRequest.result, last: undefined });
        store.delete(range);
      }
      // Committing now spares waiting for the transaction to find itself idle.
      tx.commit?.();
    };
    tx.oncomplete = () => resolve(chunk);
    // A transaction whose error is null was aborted by a closing connection.
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}
