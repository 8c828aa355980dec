import type { RunOnDb } from './run-merge.ts';
import { STORE } from './schema.ts';
import { transactionDone } from './transaction-done.ts';

/** Keys one read-only transaction steps over before the walk goes on in a new one. */
const KEYS_PER_TRANSACTION = 5_000;

/**
 * The `n`-th key (1-based) of `range` in `direction`, or undefined when it holds fewer. Walks in
 * read-only transactions of at most {@link KEYS_PER_TRANSACTION} keys each (a key cursor's
 * `advance` skips keys without reading records): a read-write transaction waits for every
 * read-only one created before it, so one long walk would hold every write meanwhile.
 */
export async function keyAt(
  runOnDb: RunOnDb,
  range: IDBKeyRange,
  direction: 'next' | 'prev',
  n: number,
): Promise<IDBValidKey | undefined> {
  let left = n;
  let current = range;
  for (;;) {
    const step = Math.min(left, KEYS_PER_TRANSACTION);
    const key = await runOnDb((db) => stepKeys(db, current, direction, step));
    if (key === undefined) return undefined;
    left -= step;
    if (left === 0) return key;
    current = beyond(range, key, direction);
  }
}

/** Number of keys in `range`, counted in transactions of at most {@link KEYS_PER_TRANSACTION} keys. */
export async function countKeys(runOnDb: RunOnDb, range: IDBKeyRange): Promise<number> {
  let counted = 0;
  let current = range;
  for (;;) {
    const key = await runOnDb((db) => stepKeys(db, current, 'next', KEYS_PER_TRANSACTION));
    if (key === undefined) {
      const rest = current;
      return counted + (await runOnDb((db) => countIn(db, rest)));
    }
    counted += KEYS_PER_TRANSACTION;
    current = beyond(range, key, 'next');
  }
}

/** `range` without its part up to `key` (inclusive) in `direction`. */
function beyond(range: IDBKeyRange, key: IDBValidKey, direction: 'next' | 'prev'): IDBKeyRange {
  return direction === 'next'
    ? IDBKeyRange.bound(key, range.upper, true, range.upperOpen)
    : IDBKeyRange.bound(range.lower, key, range.lowerOpen, true);
}

/** The `n`-th key of `range` in `direction`, in one read-only transaction. */
function stepKeys(
  db: IDBDatabase,
  range: IDBKeyRange,
  direction: 'next' | 'prev',
  n: number,
): Promise<IDBValidKey | undefined> {
  const tx = db.transaction(STORE, 'readonly');
  const request = tx.objectStore(STORE).openKeyCursor(range, direction);
  let advanced = false;
  let found: IDBValidKey | undefined;
  request.onsuccess = () => {
    const cursor = request.result;
    if (cursor !== null && !advanced && n > 1) {
      advanced = true;
      cursor.advance(n - 1);
      return;
    }
    found = cursor?.primaryKey;
  };
  return transactionDone(tx).then(() => found);
}

function countIn(db: IDBDatabase, range: IDBKeyRange): Promise<number> {
  const tx = db.transaction(STORE, 'readonly');
  const request = tx.objectStore(STORE).count(range);
  return transactionDone(tx).then(() => request.result);
}
