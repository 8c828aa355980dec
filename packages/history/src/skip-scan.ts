import { READ_SLICE, sliceGate, type ReadSlice, type SliceGate } from './read-slice.ts';
import type { RunOnDb } from './run-merge.ts';
import { PATH_INDEX, STORE } from './schema.ts';
import { transactionDone } from './transaction-done.ts';

// Sorts after every number, so `[ns, path, AFTER]` is past every entry of `path`.
const AFTER: never[] = [];

/** What a scan does at a path of the index: keep it or not, and where to look next. */
export interface ScanStep {
  /** What to keep for this path (the path itself, its first segment…), if anything. */
  readonly keep?: string | undefined;
  /** Path to seek to (greater than the current one), `undefined` for the next distinct path, `null` to stop. */
  readonly next: string | undefined | null;
}

/**
 * Visits the distinct paths of the `byPath` index in `[low, high)` of one namespace, seeking
 * wherever `step` says, and returns what it kept; undefined once more than `maxKept` were kept
 * or `maxSteps` seeks were made (the caller then reads a wider run instead). Each seek skips every
 * entry of the current path, so the cost is one seek per distinct path visited, whatever the
 * number of records. Runs in short read-only transactions (`slice.seeks` seeks each), so writes go
 * between them.
 */
export async function scanPaths(
  runOnDb: RunOnDb,
  namespace: string,
  low: string,
  high: string,
  step: (path: string) => ScanStep,
  limits: { maxKept: number; maxSteps: number },
  slice: ReadSlice = READ_SLICE,
  gate: SliceGate = sliceGate(),
): Promise<string[] | undefined> {
  const kept: string[] = [];
  let from: IDBValidKey = [namespace, low];
  let steps = 0;
  for (;;) {
    await gate.opened();
    const result = await runOnDb((db) => scanSome(db, IDBKeyRange.bound(from, [namespace, high], false, true)));
    if (result.over) return undefined;
    if (result.next === undefined) return kept;
    from = result.next;
  }

  /** Steps through the range in one transaction; resolves where to go on from, if anywhere. */
  function scanSome(db: IDBDatabase, range: IDBKeyRange): Promise<{ next: IDBValidKey | undefined; over: boolean }> {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, 'readonly');
      gate.began(tx);
      const request = tx.objectStore(STORE).index(PATH_INDEX).openKeyCursor(range);
      let outcome: { next: IDBValidKey | undefined; over: boolean } = { next: undefined, over: false };
      let stepsHere = 0;
      // Resolved at the last step, not at commit (the gate holds the next slice until then).
      request.onsuccess = () => {
        const cursor = request.result;
        if (cursor === null) return resolve(outcome);
        const path = (cursor.key as [string, string, number])[1];
        const { keep, next } = step(path);
        if (keep !== undefined) kept.push(keep);
        if (kept.length > limits.maxKept || ++steps > limits.maxSteps) {
          outcome = { next: undefined, over: true };
          return resolve(outcome);
        }
        // `[ns, path, AFTER]` and `[ns, next]` lie at or past `[ns, high]` exactly when their path does.
        if (next === null || (next ?? path) >= high) return resolve(outcome);
        const target: IDBValidKey = next === undefined ? [namespace, path, AFTER] : [namespace, next];
        if (++stepsHere === slice.seeks) {
          outcome = { next: target, over: false };
          return resolve(outcome);
        }
        cursor.continue(target);
      };
      transactionDone(tx).then(() => resolve(outcome), reject);
    });
  }
}

/**
 * Where the next topic that `pattern` (split into segments) can match lies, seen from `topic`,
 * which it does not match: a path to seek to, `undefined` to step to the next distinct path, or
 * `null` when no later topic in a range under the pattern's literal prefix can match.
 *
 * Topics sort as strings, and `.` sorts after `-` but before every other character a segment may
 * hold: all topics below `a.b` lie between `a.b.` and `a.b/`, and a sibling `a.b-x` sorts before
 * them. So from a topic whose segment `i` is below the pattern's literal, the seek goes to that
 * literal; above it, past every topic under the nearest `+` before it.
 */
export function nextCandidate(topic: string, pattern: readonly string[]): string | undefined | null {
  const segments = topic.split('.');
  for (let i = 0; i < pattern.length; i++) {
    const wanted = pattern[i]!;
    // A shorter topic, or a `#` reached with everything before it matching (a `$sys.` topic):
    // a match may be the very next path.
    if (wanted === '#' || i >= segments.length) return undefined;
    if (wanted === '+' || wanted === segments[i]) continue;
    const head = segments.slice(0, i).join('.');
    if (segments[i]! < wanted) return i === 0 ? wanted : `${head}.${wanted}`;
    return pastParent(segments, pattern, i);
  }
  // Every segment matched but the topic is deeper than a pattern without `#`: skip what lies below.
  return `${segments.slice(0, pattern.length).join('.')}/`;
}

/** Past every topic under the nearest `+` of `pattern` before segment `i`, or null if none. */
function pastParent(segments: readonly string[], pattern: readonly string[], i: number): string | null {
  for (let k = i - 1; k >= 0; k--) {
    if (pattern[k] === '+') return `${segments.slice(0, k + 1).join('.')}/`;
  }
  return null;
}
