import type { Message } from '@switchboard/bus';
import type { RunOnDb } from './run-merge.ts';
import { compareKeys, PATH_INDEX, STORE, type StoredRecord } from './schema.ts';

/**
 * Most records a prefix read takes from one prefix, a merge page's worth: one `getAll` of ~665
 * records held its transaction (and the writes queued behind it) ~150 ms at 1M records, where the
 * merge answered in ~16 ms. A prefix holding more is read run by run instead, after this many
 * records read for nothing.
 */
export const MAX_PREFIX_RECORDS = 256;

/**
 * The `byPath` range holding every topic entry under `prefix` (a literal of two segments or more,
 * `orders.42`): `orders.42` itself, then `orders.42-x…` and `orders.42.…`, all below `orders.42/`.
 * A root entry (`orders.`) never lies in it, so each record appears once.
 */
function prefixRange(namespace: string, prefix: string): IDBKeyRange {
  return IDBKeyRange.bound([namespace, prefix], [namespace, `${prefix}/`], false, true);
}

/**
 * Every record under each of `prefixes`, read in one short read-only transaction (one request per
 * prefix, all in flight at once); undefined when a prefix holds more than `max`, so the caller
 * merges runs instead. For a narrow prefix this is the cheapest read there is: one request,
 * where a skip scan and a merge take a round trip per topic.
 */
export function readPrefixes(
  runOnDb: RunOnDb,
  namespace: string,
  prefixes: readonly string[],
  max: number,
): Promise<StoredRecord[] | undefined> {
  return runOnDb(
    (db) =>
      new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, 'readonly');
        const index = tx.objectStore(STORE).index(PATH_INDEX);
        const found: StoredRecord[] = [];
        let over = false;
        let pending = prefixes.length;
        // Resolved once the last request is in, not at commit (one more round trip).
        const settle = (): void => resolve(over ? undefined : found);
        for (const prefix of prefixes) {
          const request = index.getAll(prefixRange(namespace, prefix), max + 1);
          request.onsuccess = () => {
            const records = request.result as StoredRecord[];
            if (records.length > max) over = true;
            else for (const record of records) found.push(record);
            if (--pending === 0) settle();
          };
        }
        tx.oncomplete = settle;
        tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
      }),
  );
}

/** The newest `limit` of `records` that `accept` keeps, oldest first. */
export function newestAccepted(
  records: StoredRecord[],
  limit: number,
  accept: (message: Message) => boolean,
): Message[] {
  const kept = records.filter((record) => accept(record.m));
  kept.sort((a, b) => compareKeys(a.k, b.k));
  return kept.slice(Math.max(0, kept.length - limit)).map((record) => record.m);
}
