import type { Message } from '@switchboard/bus';
import { READ_SLICE, sliceGate, type ReadSlice, type SliceGate } from './read-slice.ts';
import { compareKeys, PATH_INDEX, STORE, type RecordKey, type StoredRecord } from './schema.ts';
import { transactionDone } from './transaction-done.ts';

/**
 * A key range that IndexedDB returns in time order: a run of the `byPath` index (one path) or the
 * primary key of a namespace (the time walk).
 */
export interface Run {
  /** The index path read, or undefined for the primary key. */
  readonly path: string | undefined;
  /** Lower bound of the range (the query's start). */
  readonly lower: IDBValidKey;
  readonly lowerOpen: boolean;
  /** Upper bound of the range (the query's end); inclusive. */
  readonly upper: IDBValidKey;
  /** Expected to hold few records (a prefix's own topic): its first page is small. */
  readonly few?: boolean;
}

/** First page of a run expected to hold few records. */
const FEW_PAGE = 8;

/** Runs a step on an open connection, retried once on a fresh one if the connection closed. */
export type RunOnDb = <T>(work: (db: IDBDatabase) => Promise<T>) => Promise<T>;

interface RunState {
  readonly run: Run;
  /** Records read and not merged yet, newest first. */
  buffer: StoredRecord[];
  /** Key of the last record merged from this run. */
  last: RecordKey | undefined;
  /** Records of the last merged record's millisecond merged so far (index runs skip them). */
  sameTs: number;
  exhausted: boolean;
  page: number;
  /** True once `accept` refused a record of this run: it may then need more than the answer lacks. */
  refused: boolean;
}

/**
 * The newest `limit` records of the union of `runs` (which must not overlap) that `accept` keeps,
 * oldest first: a k-way merge, newest first. Runs are read in slices ({@link ReadSlice}): each
 * transaction reads the next page of a few runs whose buffer ran dry, so a write queued meanwhile
 * waits for one slice at most, never for the whole query.
 *
 * What a write landing between slices does to the answer: each run resumes strictly below what it
 * read, so every match stored when the query began that is newer than the oldest one returned is
 * returned, once, in order; a match stored meanwhile (newer, or another tab's older message) may
 * be among them or not.
 */
export async function mergeRuns(
  runOnDb: RunOnDb,
  runs: readonly Run[],
  limit: number,
  accept: (message: Message) => boolean,
  slice: ReadSlice = READ_SLICE,
  gate: SliceGate = sliceGate(),
): Promise<Message[]> {
  // Two runs are mostly a root run and the prefix's own topic, which holds few records: each reads
  // the whole limit, so the answer comes in one round. More runs share it (a quarter over).
  const share = runs.length <= 2 ? limit : Math.max(8, Math.ceil((limit * 1.25) / runs.length));
  const first = Math.min(slice.page, share);
  const states: RunState[] = runs.map((run) => ({
    run,
    buffer: [],
    last: undefined,
    sameTs: 0,
    exhausted: false,
    page: run.few === true ? Math.min(FEW_PAGE, first) : first,
    refused: false,
  }));
  const found: Message[] = [];
  // No run gives more than the answer lacks, unless `accept` refuses some of its records.
  const pageOf = (state: RunState): number =>
    state.refused ? state.page : Math.max(1, Math.min(state.page, limit - found.length));
  while (found.length < limit) {
    // Every run needs its next record before the newest can be picked. A page can come back empty
    // without being the last (a write landed in the millisecond it resumes at): read on.
    let dry = states.filter((state) => state.buffer.length === 0 && !state.exhausted);
    while (dry.length > 0) {
      const reading = sliceOf(dry, pageOf, slice.records);
      // A lone run (a root run, the time walk) reads on within its slice while it lacks matches.
      const readOn =
        states.length === 1 ? (state: RunState) => accepted(state.buffer, accept) < limit - found.length : undefined;
      await gate.opened();
      await runOnDb((db) => readRound(db, gate, reading, pageOf, slice, readOn));
      dry = dry.filter((state) => state.buffer.length === 0 && !state.exhausted);
    }
    let newest: RunState | undefined;
    for (const state of states) {
      const head = state.buffer[0];
      if (head !== undefined && (newest === undefined || compareKeys(head.k, newest.buffer[0]!.k) > 0)) newest = state;
    }
    if (newest === undefined) break;
    const record = newest.buffer.shift()!;
    newest.sameTs = newest.last !== undefined && newest.last[1] === record.k[1] ? newest.sameTs + 1 : 1;
    newest.last = record.k;
    if (accept(record.m)) found.push(record.m);
    else newest.refused = true;
  }
  return found.reverse();
}

/** The first of `dry` whose pages together ask for at most `records` (at least one). */
function sliceOf(dry: readonly RunState[], pageOf: (state: RunState) => number, records: number): RunState[] {
  const taken: RunState[] = [];
  let asked = 0;
  for (const state of dry) {
    const page = pageOf(state);
    if (taken.length > 0 && asked + page > records) break;
    taken.push(state);
    asked += page;
  }
  return taken;
}

/**
 * Reads the next page of each of `states` in one read-only transaction; while `readOn` says a run
 * needs more and the slice has room, it reads that run's next page in the same
 * transaction (a round trip less each).
 */
function readRound(
  db: IDBDatabase,
  gate: SliceGate,
  states: readonly RunState[],
  pageOf: (state: RunState) => number,
  slice: ReadSlice,
  readOn: ((state: RunState) => boolean) | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readonly');
    gate.began(tx);
    const store = tx.objectStore(STORE);
    let asked = 0;
    // Resolved once the last page is in, not at commit: a read-only transaction's results are
    // final (the gate holds the next slice until this one has committed).
    let pending = 0;
    const read = (state: RunState): void => {
      pending++;
      const page = pageOf(state);
      asked += page;
      readPage(store, state, page, () => {
        state.page = Math.min(slice.page, state.page * 2);
        if (readOn !== undefined && !state.exhausted && asked + pageOf(state) <= slice.records && readOn(state)) {
          read(state);
        }
        if (--pending === 0) resolve();
      });
    };
    for (const state of states) read(state);
    transactionDone(tx).then(resolve, reject);
  });
}

/** How many of `records` `accept` keeps. */
function accepted(records: readonly StoredRecord[], accept: (message: Message) => boolean): number {
  let count = 0;
  for (const record of records) if (accept(record.m)) count++;
  return count;
}

type Source = IDBObjectStore | IDBIndex;

/** `getAllRecords()` (Chromium 141+): a page newest first in one request; typed here, TypeScript's DOM lib lacks it. */
interface GetAllRecords {
  getAllRecords(options: {
    query: IDBKeyRange;
    count: number;
    direction: IDBCursorDirection;
  }): IDBRequest<Array<{ value: unknown }>>;
}

/**
 * Requests the next `page` records of one run, below what it merged and buffered so far; appends
 * to its buffer (newest first) when the request succeeds, then calls `then`.
 */
function readPage(store: IDBObjectStore, state: RunState, page: number, then: () => void): void {
  const { run } = state;
  const tail = state.buffer[state.buffer.length - 1];
  const last = tail === undefined ? state.last : tail.k;
  // Records of `last`'s millisecond taken from this run so far: buffered, and merged before them.
  let sameTs = state.sameTs;
  if (tail !== undefined) {
    sameTs = state.last !== undefined && state.last[1] === tail.k[1] ? state.sameTs : 0;
    for (const record of state.buffer) if (record.k[1] === tail.k[1]) sameTs++;
  }
  const source: Source = run.path === undefined ? store : store.index(PATH_INDEX);
  let range: IDBKeyRange;
  // Index runs resume at the last record's millisecond, inclusive: entries of one millisecond are
  // ordered by primary key, which a key range on the index cannot express; they are skipped below.
  let skip = 0;
  if (last === undefined) {
    range = IDBKeyRange.bound(run.lower, run.upper, run.lowerOpen, false);
  } else if (run.path === undefined) {
    range = IDBKeyRange.bound(run.lower, last, run.lowerOpen, true);
  } else {
    range = IDBKeyRange.bound(run.lower, [last[0], run.path, last[1]], run.lowerOpen, false);
    skip = sameTs;
  }
  const count = page + skip;
  const take = (records: StoredRecord[]): void => {
    state.exhausted = records.length < count;
    const fresh = skip === 0 ? records : records.filter((record) => !isMergedAlready(record.k, last!));
    state.buffer = state.buffer.length === 0 ? fresh : state.buffer.concat(fresh);
    then();
  };
  if ('getAllRecords' in source) {
    const request = (source as Source & GetAllRecords).getAllRecords({ query: range, count, direction: 'prev' });
    request.onsuccess = () => take(request.result.map((entry) => entry.value as StoredRecord));
    return;
  }
  const records: StoredRecord[] = [];
  const request = source.openCursor(range, 'prev');
  request.onsuccess = () => {
    const cursor = request.result;
    if (cursor !== null) records.push(cursor.value as StoredRecord);
    if (cursor === null || records.length === count) take(records);
    else cursor.continue();
  };
}

/** True for a record of the last merged millisecond at or above the last merged key. */
function isMergedAlready(key: RecordKey, last: RecordKey): boolean {
  return key[1] === last[1] && compareKeys(key, last) >= 0;
}
