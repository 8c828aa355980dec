import type { Message } from '@switchboard/bus';
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { PATH_INDEX, STORE, toRecord, type HistoryDbSchema, type RecordKey } from './schema.ts';

/** The index of schema v2, deleted by the upgrade to v3. */
const V2_TOPIC_INDEX = 'byTopic';
/** Records rewritten per request while upgrading: bounded memory whatever the database holds. */
const UPGRADE_PAGE = 500;

/** A record as v1 (`{ k, m }`) or v2 (`{ k, n, m }`) left it. */
interface OldRecord {
  k: RecordKey;
  m: Message;
}

/**
 * Brings a database from `oldVersion` to the current schema inside the `versionchange`
 * transaction. Only IndexedDB requests are awaited here: awaiting anything else would let the
 * transaction commit half-way. A failure rejects; the caller aborts, which rolls everything back.
 */
export async function upgradeSchema(
  db: IDBPDatabase<HistoryDbSchema>,
  oldVersion: number,
  transaction: IDBPTransaction<HistoryDbSchema, ['messages'], 'versionchange'>,
): Promise<void> {
  if (oldVersion < 1) {
    const store = db.createObjectStore(STORE, { keyPath: 'k' });
    store.createIndex(PATH_INDEX, 'p', { multiEntry: true });
    return;
  }
  const store = transaction.objectStore(STORE);
  if (store.indexNames.contains(V2_TOPIC_INDEX as never)) store.deleteIndex(V2_TOPIC_INDEX as never);
  store.createIndex(PATH_INDEX, 'p', { multiEntry: true });
  // Older records have no paths (v1 no namespace field either): rewrite each with both, in pages.
  let after: IDBKeyRange | null = null;
  for (;;) {
    const page = (await store.getAll(after, UPGRADE_PAGE)) as unknown as OldRecord[];
    // The old key stays: v1 keys of ids without a counter had a sequence of 0.
    await Promise.all(page.map((old) => store.put({ ...toRecord(old.k[0], old.m), k: old.k })));
    if (page.length < UPGRADE_PAGE) return;
    after = IDBKeyRange.lowerBound(page[page.length - 1]!.k, true);
  }
}
