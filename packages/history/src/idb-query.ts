import type { Message } from '@switchboard/bus';
import type { StoreQuery } from './history-store.ts';
import { MAX_PREFIX_RECORDS, newestAccepted, readPrefixes } from './prefix-read.ts';
import { READ_SLICE, sliceGate, type ReadSlice, type SliceGate } from './read-slice.ts';
import { mergeRuns, type Run, type RunOnDb } from './run-merge.ts';
import { nextCandidate, scanPaths, type ScanStep } from './skip-scan.ts';

// Sorts after every number and string: `[ns, ts, AFTER]` is above every key of that millisecond.
const AFTER: never[] = [];
// Above every path (topics are ASCII).
const END_OF_PATHS = '\uffff';
/** Most runs one query merges; a pattern that needs more reads a wider run or the time walk. */
const MAX_RUNS = 256;
/** Most seeks one skip scan makes before the plan falls back to a wider run. */
const MAX_SCAN_STEPS = 1_024;

/** What bounds a query's reads; tests shrink them to see many slices over a few records. */
export interface QueryLimits {
  /** Most records a prefix read takes from one prefix before the runs are merged instead. */
  readonly maxPrefixRecords: number;
  /** How much one read-only transaction reads. */
  readonly slice: ReadSlice;
}

const LIMITS: QueryLimits = { maxPrefixRecords: MAX_PREFIX_RECORDS, slice: READ_SLICE };

/**
 * Runs a planned query against the database (docs/history-design.md, "Query plans"). A pattern
 * whose literal part narrows it to a few topics (`orders.42.#`, and `+.42.#` once its `+` is
 * filled in per first segment) is read in one request per prefix when the prefix holds at most
 * {@link MAX_PREFIX_RECORDS} records. Otherwise it picks the runs the pattern can match, with skip
 * scans of the `byPath` index where literal segments narrow it, and merges them newest first.
 *
 * Every read is cut into short read-only transactions ({@link ReadSlice}), so writes wait for one
 * slice at most. What a write landing between them does: every match stored when the query began
 * that is newer than the oldest one returned is returned, once, in order; a match stored meanwhile
 * may be among them or not.
 */
export async function queryIdb(
  runOnDb: RunOnDb,
  namespace: string,
  query: StoreQuery,
  limits: QueryLimits = LIMITS,
): Promise<Message[]> {
  const { slice } = limits;
  // One gate for every read of the query: each slice begins once the last one has committed.
  const gate = sliceGate();
  const patterns = await literalLed(runOnDb, namespace, query.pattern, slice, gate);
  const prefixes = patterns === undefined ? undefined : narrowPrefixes(patterns);
  if (prefixes !== undefined) {
    const records = await readPrefixes(runOnDb, namespace, prefixes, limits.maxPrefixRecords, slice, gate);
    if (records !== undefined) return newestAccepted(records, query.limit, query.accept);
  }
  const runs = await runsOf(runOnDb, namespace, query, patterns, slice, gate);
  return mergeRuns(runOnDb, runs, query.limit, query.accept, slice, gate);
}

/** The runs whose union holds every record `query` can return. */
export async function planRuns(runOnDb: RunOnDb, namespace: string, query: StoreQuery): Promise<Run[]> {
  const gate = sliceGate();
  const patterns = await literalLed(runOnDb, namespace, query.pattern, READ_SLICE, gate);
  return runsOf(runOnDb, namespace, query, patterns, READ_SLICE, gate);
}

/**
 * The pattern split into segments, with a leading `+` replaced by each first segment stored
 * (found by skipping from root to root); undefined when only the time walk can answer it (a
 * leading `#`, or a `+` over more than {@link MAX_RUNS} first segments).
 */
async function literalLed(
  runOnDb: RunOnDb,
  namespace: string,
  pattern: string,
  slice: ReadSlice,
  gate: SliceGate,
): Promise<string[][] | undefined> {
  const segments = pattern.split('.');
  if (segments[0] === '#') return undefined;
  if (segments[0] !== '+') return [segments];
  const firsts = await scanPaths(
    runOnDb,
    namespace,
    '',
    END_OF_PATHS,
    firstSegmentStep,
    { maxKept: MAX_RUNS, maxSteps: MAX_SCAN_STEPS },
    slice,
    gate,
  );
  if (firsts === undefined) return undefined;
  return [...new Set(firsts)].map((first) => [first, ...segments.slice(1)]);
}

/**
 * The literal prefixes (`orders.42` of `orders.42.#`) when every pattern starts with two literal
 * segments or more and holds a wildcard: their prefix ranges hold every match. Undefined otherwise
 * (an exact topic is one run already; a one-segment prefix is a root run).
 */
function narrowPrefixes(patterns: readonly string[][]): string[] | undefined {
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    const wildcard = pattern.findIndex((segment) => segment === '+' || segment === '#');
    if (wildcard < 2) return undefined;
    prefixes.push(pattern.slice(0, wildcard).join('.'));
  }
  return prefixes;
}

/** The runs for `patterns` (from {@link literalLed}); the time walk when there are none or too many. */
async function runsOf(
  runOnDb: RunOnDb,
  namespace: string,
  query: StoreQuery,
  patterns: readonly string[][] | undefined,
  slice: ReadSlice,
  gate: SliceGate,
): Promise<Run[]> {
  const { from, fromExclusive, to } = query;
  const pathRun = (path: string): Run => ({
    path,
    lower: [namespace, path, from],
    lowerOpen: fromExclusive,
    upper: [namespace, path, to],
  });
  const timeWalk: Run = {
    path: undefined,
    lower: fromExclusive ? [namespace, from, AFTER] : [namespace, from],
    lowerOpen: fromExclusive,
    upper: [namespace, to, AFTER],
  };

  /** Runs for a pattern whose first segment is literal. */
  async function runsFor(pattern: readonly string[]): Promise<Run[]> {
    const wildcard = pattern.findIndex((segment) => segment === '+' || segment === '#');
    if (wildcard === -1) return [pathRun(pattern.join('.'))];
    const literal = pattern.slice(0, wildcard).join('.');
    const endsInHash = wildcard === pattern.length - 1 && pattern[wildcard] === '#';
    // `literal.#` matches `literal` itself too: its own run, beside those below it.
    const own = endsInHash ? [{ ...pathRun(literal), few: true }] : [];
    const root = pathRun(`${pattern[0]}.`);
    if (wildcard === 1) return [...own, root];
    const topics = await scanPaths(
      runOnDb,
      namespace,
      `${literal}.`,
      `${literal}/`,
      topicStep(pattern),
      { maxKept: MAX_RUNS, maxSteps: MAX_SCAN_STEPS },
      slice,
      gate,
    );
    return topics === undefined ? [root] : [...own, ...topics.map(pathRun)];
  }

  function topicStep(pattern: readonly string[]): (path: string) => ScanStep {
    return (path) => {
      if (query.matches(path)) return { keep: path, next: undefined };
      const next = nextCandidate(path, pattern);
      return { next: typeof next === 'string' && next <= path ? undefined : next };
    };
  }

  if (patterns === undefined) return [timeWalk];
  const runs: Run[] = [];
  for (const pattern of patterns) {
    runs.push(...(await runsFor(pattern)));
    if (runs.length > MAX_RUNS) return [timeWalk];
  }
  return runs;
}

/** Keeps each first segment once; `$sys.` topics are never matched by a leading wildcard. */
function firstSegmentStep(path: string): ScanStep {
  const dot = path.indexOf('.');
  const first = dot === -1 ? path : path.slice(0, dot);
  const keep = first.startsWith('$') ? undefined : first;
  // From `first` itself, `first-x…` may come next; from anything under `first.`, skip past them all.
  return { keep, next: dot === -1 ? undefined : `${first}/` };
}
