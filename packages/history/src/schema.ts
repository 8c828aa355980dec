import type { Message } from '@switchboard/bus';
import type { IDBPDatabase, IDBPTransaction } from 'idb';

/**
 * The IndexedDB layout of the history, and how older layouts are upgraded.
 *
 * One object store, `messages`, shared by every namespace. Records are keyed by
 * `[namespace, ts, seq, id]`, so that for one namespace the primary key is in time order: a time
 * range, "everything expired" (one range delete) and "the oldest N" are all key ranges, and
 * namespaces never see each other's records.
 *
 * Version history:
 * - v1: the `messages` store, records `{ k, m }`.
 * - v2: records gain `p`, one `[namespace, prefix, ts]` entry per leading topic prefix, indexed by
 *   the multi-entry index `byPrefix`: `getHistory('orders.42.#')` walks only `orders.42` in time
 *   order instead of scanning the namespace.
 */

/** Current schema version. */
export const SCHEMA_VERSION = 2;
/** The object store holding every namespace's messages. */
export const STORE = 'messages';
/** Multi-entry index over `[namespace, topic prefix, ts]`. */
export const PREFIX_INDEX = 'byPrefix';
/**
 * Prefixes indexed per message: `a`, `a.b`, … up to this many segments. Patterns with a longer
 * literal prefix use the deepest indexed one and filter the rest, which keeps writes cheap for
 * deep topics.
 */
export const MAX_INDEXED_DEPTH = 6;

/** Primary key: `[namespace, ts, seq, id]`. */
export type RecordKey = [namespace: string, ts: number, seq: number, id: string];
/** One `byPrefix` entry: `[namespace, prefix, ts]`. */
export type PrefixKey = [namespace: string, prefix: string, ts: number];

/** A stored message. Short field names: they are repeated in every record on disk. */
export interface StoredRecord {
  k: RecordKey;
  m: Message;
  p: PrefixKey[];
}

/** The record layout of schema v1, kept for the upgrade. */
export interface StoredRecordV1 {
  k: RecordKey;
  m: Message;
}

/** The shape of the database as `idb` types it. */
export interface HistoryDbSchema {
  messages: {
    key: RecordKey;
    value: StoredRecord;
    indexes: { byPrefix: PrefixKey };
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

/** Every indexed prefix of a topic: `a.b.c` -> `a`, `a.b`, `a.b.c`. */
export function prefixesOf(topic: string): string[] {
  const prefixes: string[] = [];
  let end = topic.indexOf('.');
  while (end !== -1 && prefixes.length < MAX_INDEXED_DEPTH - 1) {
    prefixes.push(topic.slice(0, end));
    end = topic.indexOf('.', end + 1);
  }
  if (prefixes.length < MAX_INDEXED_DEPTH) prefixes.push(topic);
  return prefixes;
}

/** The record stored for a message in a namespace. */
export function toRecord(namespace: string, message: Message): StoredRecord {
  return {
    k: [namespace, message.ts, sequenceOf(message.id), message.id],
    m: message,
    p: prefixKeys(namespace, message),
  };
}

function prefixKeys(namespace: string, message: Message): PrefixKey[] {
  const prefixes = prefixesOf(message.topic);
  const keys: PrefixKey[] = new Array(prefixes.length);
  for (let i = 0; i < prefixes.length; i++) keys[i] = [namespace, prefixes[i]!, message.ts];
  return keys;
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
    store.createIndex(PREFIX_INDEX, 'p', { multiEntry: true });
    if (oldVersion >= 1) {
      // v1 records have no `p`: add it so they show up in prefix queries.
      for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
        const old = cursor.value as StoredRecordV1 & Partial<StoredRecord>;
        if (old.p === undefined) await cursor.update({ k: old.k, m: old.m, p: prefixKeys(old.k[0], old.m) });
      }
    }
  }
}
