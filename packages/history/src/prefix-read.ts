import type { Message } from '@switchboard/bus';
import type { RunOnDb } from './run-merge.ts';
import { READ_SLICE, sliceGate, type ReadSlice, type SliceGate } from './read-slice.ts';
import { compareKeys, PATH_INDEX, STORE, type RecordKey, type StoredRecord } from './schema.ts';
import { transactionDone } from './transaction-done.ts';

/**
 * Most records a prefix read takes from one prefix, less than a slice: a prefix holding more is
 * read run by run instead, after one more record than this read for nothing (at 1M records, a
 * prefix of 665 records took ~150 ms read whole, where the merge answered in ~16 ms).
 */
export const MAX_PREFIX_RECORDS = 100;

/**
 * The `byPath` range holding every topic entry under `prefix` (a literal of two segments or more,
 * `orders.42`): `orders.42` itself, then `orders.42-x…` and `orders.42.…`, all below `orders.42/`.
 * A root entry (`orders.`) never lies in it, so each record appears once.
 */
function prefixRange(namespace: string, prefix: string): IDBKeyRange {
  return IDBKeyRange.bound([namespace, prefix], [namespace, `${prefix}/`], false, true);
}

/** Where the read of one prefix stands. */
interface PrefixState {
  readonly range: IDBKeyRange;
  readonly records: StoredRecord[];
  /** The `byPath` key and primary key of the last record read: the next page starts after it. */
  last: { readonly topic: string; readonly key: RecordKey } | undefined;
  /** Records read whose `byPath` key equals the last one's (resumed at, inclusive, then skipped). */
  sameKey: number;
  done: boolean;
}

/**
 * Every record under each of `prefixes`, or undefined as soon as a prefix holds more than `max`
 * (the caller then merges runs). The prefixes are read one after another, in slices
 * ({@link ReadSlice}): a transaction goes on to the next prefix while the records it read leave
 * room. For a narrow prefix this is the cheapest read there is: one request, where a skip scan
 * and a merge take a round trip per topic. (Counting a prefix first would spare the records read
 * for nothing, but an index count reads every entry's record: at 1M records, counting 665 took
 * 1-167 ms where reading 257 took 0.3-14 ms.)
 *
 * A write landing between slices is read if its place in a range is not read yet: every record
 * stored when the read began is returned once, and some stored meanwhile may be.
 */
export async function readPrefixes(
  runOnDb: RunOnDb,
  namespace: string,
  prefixes: readonly string[],
  max: number,
  slice: ReadSlice = READ_SLICE,
  gate: SliceGate = sliceGate(),
): Promise<StoredRecord[] | undefined> {
  const states: PrefixState[] = prefixes.map((prefix) => ({
    range: prefixRange(namespace, prefix),
    records: [],
    last: undefined,
    sameKey: 0,
    done: false,
  }));
  for (;;) {
    const open = states.filter((state) => !state.done);
    if (open.length === 0) return states.flatMap((state) => state.records);
    await gate.opened();
    const over = await runOnDb((db) => readSlice(db, gate, namespace, open, max, slice));
    if (over) return undefined;
  }
}

/**
 * One read-only transaction: reads `states` in turn, each up to `max + 1` records, until the
 * records read fill the slice; resolves true when a prefix holds more than `max`.
 */
function readSlice(
  db: IDBDatabase,
  gate: SliceGate,
  namespace: string,
  states: readonly PrefixState[],
  max: number,
  slice: ReadSlice,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readonly');
    gate.began(tx);
    const index = tx.objectStore(STORE).index(PATH_INDEX);
    let left = slice.records;
    let over = false;
    let at = 0;
    const read = (state: PrefixState): void => {
      const page = Math.max(1, Math.min(left, slice.page, max + 1 - state.records.length));
      const { last } = state;
      const range =
        last === undefined
          ? state.range
          : IDBKeyRange.bound([namespace, last.topic, last.key[1]], state.range.upper, false, true);
      const count = page + state.sameKey;
      const request = index.getAll(range, count);
      request.onsuccess = () => {
        const records = request.result as StoredRecord[];
        left -= records.length;
        state.done = records.length < count;
        for (const record of records) {
          // Resumed at the last `byPath` key, inclusive: its records up to the last one were read.
          if (last !== undefined && sameEntry(record, last) && compareKeys(record.k, last.key) <= 0) continue;
          if (state.last !== undefined && sameEntry(record, state.last)) state.sameKey++;
          else state.sameKey = 1;
          state.last = { topic: record.m.topic, key: record.k };
          state.records.push(record);
        }
        if (state.records.length > max) over = true;
        // Resolved once the last request is in, not at commit (the gate holds the next slice).
        if (over || left <= 0) resolve(over);
        else if (!state.done) read(state);
        else if (++at < states.length) read(states[at]!);
        else resolve(over);
      };
    };
    read(states[0]!);
    transactionDone(tx).then(() => resolve(over), reject);
  });
}

/** True when `record`'s topic entry in `byPath` is the same key as `last`'s. */
function sameEntry(record: StoredRecord, last: { readonly topic: string; readonly key: RecordKey }): boolean {
  return record.m.topic === last.topic && record.k[1] === last.key[1];
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
