import type { Message } from '@switchboard/bus';
import type { StoreQuery } from './history-store.ts';
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

/**
 * Runs a planned query against the database (docs/history-design.md, "Query plans"): picks the runs
 * the pattern can match, with skip scans of the `byPath` index where a pattern's literal segments
 * narrow it, then merges them newest first.
 */
export async function queryIdb(runOnDb: RunOnDb, namespace: string, query: StoreQuery): Promise<Message[]> {
  const runs = await planRuns(runOnDb, namespace, query);
  return mergeRuns(runOnDb, runs, query.limit, query.accept);
}

/** The runs whose union holds every record `query` can return. */
export async function planRuns(runOnDb: RunOnDb, namespace: string, query: StoreQuery): Promise<Run[]> {
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
    const own = endsInHash ? [pathRun(literal)] : [];
    const root = pathRun(`${pattern[0]}.`);
    if (wildcard === 1) return [...own, root];
    const topics = await scanPaths(runOnDb, namespace, `${literal}.`, `${literal}/`, topicStep(pattern), {
      maxKept: MAX_RUNS,
      maxSteps: MAX_SCAN_STEPS,
    });
    return topics === undefined ? [root] : [...own, ...topics.map(pathRun)];
  }

  function topicStep(pattern: readonly string[]): (path: string) => ScanStep {
    return (path) => {
      if (query.matches(path)) return { keep: path, next: undefined };
      const next = nextCandidate(path, pattern);
      return { next: typeof next === 'string' && next <= path ? undefined : next };
    };
  }

  const segments = query.pattern.split('.');
  if (segments[0] === '#') return [timeWalk];
  if (segments[0] !== '+') return runsFor(segments);
  // A leading `+`: the same plan under each first segment, found by skipping from root to root.
  const firsts = await scanPaths(runOnDb, namespace, '', END_OF_PATHS, firstSegmentStep, {
    maxKept: MAX_RUNS,
    maxSteps: MAX_SCAN_STEPS,
  });
  if (firsts === undefined) return [timeWalk];
  const runs: Run[] = [];
  for (const first of new Set(firsts)) {
    runs.push(...(await runsFor([first, ...segments.slice(1)])));
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
