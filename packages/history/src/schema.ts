import type { Message } from '@switchboard/bus';
import type { IDBPDatabase } from 'idb';
import { sequenceOf } from './writer-id.ts';

/**
 * The IndexedDB layout of the history (docs/history-design.md explains the choices).
 *
 * One object store, `messages`, shared by every namespace. Records are keyed by
 * `[namespace, ts, seq, id]`: per namespace the primary key is in time order, so a time range,
 * "everything expired" and "the oldest N" are key ranges, and a second write of one message lands
 * on the same key. The multi-entry index `byPath` holds two entries per record, its topic and its
 * root (`orders.` for `orders.42.created`), each as `[namespace, path, ts]`: a pattern reads a few
 * time-ordered runs of it instead of the namespace.
 *
 * Version history:
 * - v1: the `messages` store, records `{ k, m }`.
 * - v2: records gain `n` (their namespace); index `byTopic` over `[n, m.topic, m.ts]`.
 * - v3: records gain `p` (their paths); index `byPath` over `p` replaces `byTopic`.
 */

/** Current schema version. */
export const SCHEMA_VERSION = 3;
/** The object store holding every namespace's messages. */
export const STORE = 'messages';
/** Multi-entry index over the records' `p`: `[namespace, path, ts]`. */
export const PATH_INDEX = 'byPath';

/** Primary key: `[namespace, ts, seq, id]`. */
export type RecordKey = [namespace: string, ts: number, seq: number, id: string];
/** A `byPath` key: `[namespace, path, ts]`; a path is a topic, or a root ending in `.`. */
type PathKey = [namespace: string, path: string, ts: number];

/** A stored message. Short field names: they are repeated in every record on disk. */
export interface StoredRecord {
  k: RecordKey;
  n: string;
  p: PathKey[];
  m: Message;
}

/** The shape of the database as `idb` types it. */
export interface HistoryDbSchema {
  messages: {
    key: RecordKey;
    value: StoredRecord;
    indexes: { byPath: PathKey };
  };
}

/** An open history database. */
export type HistoryDb = IDBPDatabase<HistoryDbSchema>;

/** The root path of a topic (`'orders.'` for `'orders.42.created'`), or undefined for a one-segment topic. */
function rootOf(topic: string): string | undefined {
  const dot = topic.indexOf('.');
  return dot === -1 ? undefined : topic.slice(0, dot + 1);
}

/** The `byPath` entries of a message: its topic, and its root when it has more than one segment. */
function pathsOf(namespace: string, topic: string, ts: number): PathKey[] {
  const root = rootOf(topic);
  return root === undefined
    ? [[namespace, topic, ts]]
    : [
        [namespace, root, ts],
        [namespace, topic, ts],
      ];
}

/** The record stored for a message in a namespace. */
export function toRecord(namespace: string, message: Message): StoredRecord {
  return {
    k: [namespace, message.ts, sequenceOf(message.id), message.id],
    n: namespace,
    p: pathsOf(namespace, message.topic, message.ts),
    m: message,
  };
}

/** Orders record keys as IndexedDB does within a namespace: by time, then publish sequence, then id. */
export function compareKeys(a: RecordKey, b: RecordKey): number {
  if (a[1] !== b[1]) return a[1] - b[1];
  if (a[2] !== b[2]) return a[2] - b[2];
  return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
}

/** Orders messages as their records' keys would: by time, then publish sequence, then id. */
export function compareMessages(a: Message, b: Message): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  const seqA = sequenceOf(a.id);
  const seqB = sequenceOf(b.id);
  if (seqA !== seqB) return seqA - seqB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
