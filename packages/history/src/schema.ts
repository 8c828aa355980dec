import type { Message } from '@switchboard/bus';
import type { IDBPDatabase, IDBPTransaction } from 'idb';

/**
 * The IndexedDB layout of the history, and how older layouts are upgraded.
 *
 * One object store, `messages`, shared by every namespace. Records are keyed by
 * `[namespace, ts, seq, id]`, so that for one namespace the primary key is in time order: a time
 * range, "everything expired" (range deletes) and "the oldest N" are all key ranges, and
 * namespaces never see each other's records.
 *
 * Version history:
 * - v1: the `messages` store, records `{ k, m }`.
 * - v2: records gain `n` (their namespace) and the index `byTopic` over `[n, m.topic, m.ts]`:
 *   `getHistory('orders.42.#')` reads the key range of topics starting with `orders.42` instead of
 *   scanning the namespace. One index entry per record keeps writes and GC range deletes cheap
 *   (each index entry is one more row to delete).
 */

/** Current schema version. */
export const SCHEMA_VERSION = 2;
/** The object store holding every namespace's messages. */
export const STORE = 'messages';
/** Index over `[namespace, topic, ts]`. */
export const TOPIC_INDEX = 'byTopic';

/** Primary key: `[namespace, ts, seq, id]`. */
type RecordKey = [namespace: string, ts: number, seq: number, id: string];
/** A `byTopic` key: `[namespace, topic, ts]`. */
type TopicKey = [namespace: string, topic: string, ts: number];

/** A stored message. Short field names: they are repeated in every record on disk. */
export interface StoredRecord {
  k: RecordKey;
  n: string;
  m: Message;
}

/** The record layout of schema v1, kept for the upgrade. */
interface StoredRecordV1 {
  k: RecordKey;
  m: Message;
}

/** The shape of the database as `idb` types it. */
export interface HistoryDbSchema {
  messages: {
    key: RecordKey;
    value: StoredRecord;
    indexes: { byTopic: TopicKey };
  };
}

/** An open history database. */
export type HistoryDb = IDBPDatabase<HistoryDbSchema>;

const TAIL_SEQUENCE = /-([0-9a-z]{1,10})$/;

/**
 * The per-bus publish counter that ends a bus message id (`prefix-counter`, base 36), so messages
 * of one tab published in the same millisecond keep their publish order in the key. Ids from
 * elsewhere sort by id within their millisecond.
 */
export function sequenceOf(id: string): number {
  const match = TAIL_SEQUENCE.exec(id);
  return match ? parseInt(match[1]!, 36) : 0;
}

/** The record stored for a message in a namespace. */
export function toRecord(namespace: string, message: Message): StoredRecord {
  return { k: [namespace, message.ts, sequenceOf(message.id), message.id], n: namespace, m: message };
}

/** Orders records as their primary keys do: by time, then publish sequence, then id. */
export function compareRecords(a: StoredRecord, b: StoredRecord): number {
  const [, tsA, seqA, idA] = a.k;
  const [, tsB, seqB, idB] = b.k;
  if (tsA !== tsB) return tsA - tsB;
  if (seqA !== seqB) return seqA - seqB;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** Orders messages as their records' keys would: by time, then publish sequence, then id. */
export function compareMessages(a: Message, b: Message): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  const seqA = sequenceOf(a.id);
  const seqB = sequenceOf(b.id);
  if (seqA !== seqB) return seqA - seqB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Brings a database from `oldVersion` to {@link SCHEMA_VERSION} inside the `versionchange`
 * transaction. Only IndexedDB requests are awaited here: awaiting anything else would let the
 * transaction commit half-way.
 */
export async function upgradeSchema(
  db: IDBPDatabase<HistoryDbSchema>,
  oldVersion: number,
  transaction: IDBPTransaction<HistoryDbSchema, ['messages'], 'versionchange'>,
): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore(STORE, { keyPath: 'k' });
  }
  if (oldVersion < 2) {
    const store = transaction.objectStore(STORE);
    store.createIndex(TOPIC_INDEX, ['n', 'm.topic', 'm.ts']);
    if (oldVersion >= 1) {
      // v1 records have no `n`: add it so they show up in topic queries.
      for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
        const old = cursor.value as StoredRecordV1 & Partial<StoredRecord>;
        if (old.n === undefined) await cursor.update({ k: old.k, n: old.k[0], m: old.m });
      }
    }
  }
}
