import { done, STORE, type RecordKey } from './history-layout.ts';

// Hand-written IndexedDB queries, each on one index, that the scale benchmark compares
// getHistory with: what a careful engineer would write for each query shape, knowing the layout
// but not the data. Each returns the newest `limit` matches, oldest first.

/** The query shapes of the scale benchmark. */
export type Shape = 'sparse' | 'entity' | 'dense' | 'plus' | 'replay';
/**
 * - `time-walk`: the primary key (time order), newest first, filtered by the pattern.
 * - `path-index`: the adapter's `byPath` index (root and topic entries), in the adapter's database.
 * - `topic-index`: a classic `[namespace, topic, ts]` index, in a database of that layout.
 */
export type Baseline = 'time-walk' | 'path-index' | 'topic-index';

/** The baselines worth timing per shape (the others would walk most of the database). */
export const BASELINES: Record<Shape, Baseline[]> = {
  sparse: ['path-index', 'topic-index'],
  entity: ['path-index', 'topic-index'],
  dense: ['time-walk', 'path-index'],
  plus: ['path-index', 'topic-index'],
  replay: ['time-walk', 'path-index'],
};

interface Stored {
  k: RecordKey;
  m: { topic: string; payload: unknown };
}

const AFTER: never[] = [];

/** A plain segment matcher (`+` one segment, `#` the rest), as the bus matches. */
function matcher(pattern: string): (topic: string) => boolean {
  const want = pattern.split('.');
  return (topic) => {
    const have = topic.split('.');
    for (let i = 0; i < want.length; i++) {
      if (want[i] === '#') return true;
      if (i >= have.length || (want[i] !== '+' && want[i] !== have[i])) return false;
    }
    return have.length === want.length;
  };
}

function byKey(a: Stored, b: Stored): number {
  const [, ta, sa, ia] = a.k;
  const [, tb, sb, ib] = b.k;
  return ta - tb || sa - sb || (ia < ib ? -1 : ia > ib ? 1 : 0);
}

function newestOf(records: Stored[], limit: number): Stored[] {
  records.sort(byKey);
  return records.slice(Math.max(0, records.length - limit));
}

type GetAllRecords = {
  getAllRecords(options: {
    query: IDBKeyRange;
    count?: number;
    direction?: IDBCursorDirection;
  }): IDBRequest<Array<{ value: Stored }>>;
};

/** Newest first through `source` over `range`, keeping matches, until `limit` (one cursor, one transaction). */
async function walk(
  source: IDBObjectStore | IDBIndex,
  range: IDBKeyRange,
  limit: number,
  keep: (r: Stored) => boolean,
) {
  const found: Stored[] = [];
  await new Promise<void>((resolve, reject) => {
    const request = source.openCursor(range, 'prev');
    request.onsuccess = () => {
      const cursor = request.result;
      if (cursor === null) return resolve();
      const record = cursor.value as Stored;
      if (keep(record) && found.push(record) >= limit) return resolve();
      cursor.continue();
    };
    request.onerror = () => reject(request.error);
  });
  return found.reverse();
}

/** Distinct first segments of the paths (or topics) of an index, by seeking past each. */
async function firstSegments(index: IDBIndex, namespace: string): Promise<string[]> {
  const found = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    const request = index.openKeyCursor(IDBKeyRange.bound([namespace, ''], [namespace, '\uffff']));
    request.onsuccess = () => {
      const cursor = request.result;
      if (cursor === null) return resolve();
      const path = (cursor.key as [string, string])[1];
      const dot = path.indexOf('.');
      const first = dot === -1 ? path : path.slice(0, dot);
      found.add(first);
      cursor.continue(dot === -1 ? [namespace, path, AFTER] : [namespace, `${first}/`]);
    };
    request.onerror = () => reject(request.error);
  });
  return [...found];
}

/** Every record whose index path lies in `[low, high)`, newest `limit` of those `keep` accepts. */
async function rangeSorted(
  index: IDBIndex,
  namespace: string,
  low: string,
  high: string,
  limit: number,
  keep: (r: Stored) => boolean,
) {
  const all = await done(index.getAll(IDBKeyRange.bound([namespace, low], [namespace, high], false, true)));
  return newestOf((all as Stored[]).filter(keep), limit);
}

/** Runs `baseline` for `pattern` in `db`; the newest `limit` matches, oldest first. */
export async function handWritten(
  db: IDBDatabase,
  baseline: Baseline,
  namespace: string,
  pattern: string,
  limit: number,
): Promise<Stored[]> {
  const matches = matcher(pattern);
  const keep = (record: Stored): boolean => matches(record.m.topic);
  const tx = db.transaction(STORE, 'readonly');
  const store = tx.objectStore(STORE);
  const segments = pattern.split('.');
  const wildcard = segments.findIndex((s) => s === '+' || s === '#');
  const literal = segments.slice(0, wildcard).join('.');
  let result: Stored[];
  if (baseline === 'time-walk') {
    result = await walk(store, IDBKeyRange.bound([namespace], [namespace, AFTER]), limit, keep);
  } else if (baseline === 'path-index') {
    const index = store.index('byPath');
    if (wildcard === 0) {
      // `+.<entity>.#`: per first segment, the topic entries under `<first>.<entity>.`, sorted.
      const parts = await Promise.all(
        (await firstSegments(index, namespace)).map((first) =>
          rangeSorted(index, namespace, `${first}.${segments[1]}.`, `${first}.${segments[1]}/`, limit, keep),
        ),
      );
      result = newestOf(parts.flat(), limit);
    } else if (wildcard === 1 && segments[1] === '#') {
      // `<root>.#`: the root run holds exactly the matches: the newest `limit` in one request.
      const range = IDBKeyRange.bound([namespace, `${literal}.`, -Infinity], [namespace, `${literal}.`, Infinity]);
      const records = await done(
        (index as unknown as GetAllRecords).getAllRecords({ query: range, count: limit, direction: 'prev' }),
      );
      result = records.map((entry) => entry.value).reverse();
    } else if (wildcard === 1) {
      const range = IDBKeyRange.bound([namespace, `${literal}.`, -Infinity], [namespace, `${literal}.`, Infinity]);
      result = await walk(index, range, limit, keep);
    } else {
      result = await rangeSorted(index, namespace, `${literal}.`, `${literal}/`, limit, keep);
    }
  } else {
    const index = store.index('byTopic');
    if (wildcard === 0) {
      const parts = await Promise.all(
        (await firstSegments(index, namespace)).map((first) =>
          rangeSorted(index, namespace, `${first}.${segments[1]}.`, `${first}.${segments[1]}/`, limit, keep),
        ),
      );
      result = newestOf(parts.flat(), limit);
    } else {
      result = await rangeSorted(index, namespace, `${literal}.`, `${literal}/`, limit, keep);
    }
  }
  // The transaction commits by itself once no request is pending.
  return result;
}
