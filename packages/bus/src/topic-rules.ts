import { headId, headIdOf } from './topic-heads.ts';
import { SYSTEM_PREFIX } from './topic.ts';

/**
 * A list of topic patterns compiled for permission checks: "may this app publish this topic",
 * "what part of this subscribe pattern may it receive". Built on a {@link PatternIndex}, so a
 * check costs a map lookup or two however many patterns the list has.
 */
export interface TopicRules {
  readonly patterns: readonly string[];
  /** True when a pattern of the list matches `topic`. */
  matches(topic: string): boolean;
  /**
   * How much of what `pattern` can match the list allows: `'all'` (one pattern of the list
   * covers it), `'some'` (some topic matches both), `'none'`.
   */
  reach(pattern: string): Reach;
}

/** How much of a subscribe pattern's topics some rules allow. */
export type Reach = 'all' | 'some' | 'none';

/** Compiles `patterns` (already checked with `assertPattern`). */
export function createTopicRules(patterns: readonly string[]): TopicRules {
  const index = createPatternIndex(patterns.map((pattern) => [pattern, true] as const));
  const split = patterns.map((pattern) => pattern.split('.'));
  return {
    patterns,
    matches: (topic) => hasMatch(index, topic),
    reach(pattern) {
      const inner = pattern.split('.');
      let reach: Reach = 'none';
      for (const outer of split) {
        if (covers(outer, inner)) return 'all';
        if (reach === 'none' && overlaps(outer, inner)) reach = 'some';
      }
      return reach;
    },
  };
}

/** A wildcard pattern's entry: its compiled test and what it stands for. */
export interface IndexedPattern<E> {
  readonly test: (topic: string) => boolean;
  /** The pattern is `head.#`: every topic filed under its head matches, without a test. */
  readonly wholeHead: boolean;
  readonly entry: E;
}

/**
 * Patterns indexed for matching topics that rarely repeat (ids in topics): topics without
 * wildcards in a map, wildcard patterns by the number of their first segment (see
 * {@link headIdOf}), or in `anyHead` when it is a wildcard. A topic is answered by a map lookup
 * and the few tests under its first segment, where a trie would first read every character of a
 * topic it has not seen.
 */
export interface PatternIndex<E> {
  readonly exact: ReadonlyMap<string, readonly E[]>;
  /** The wildcard patterns that start with one literal segment, by that segment's number. */
  readonly byHead: ReadonlyArray<readonly IndexedPattern<E>[] | undefined>;
  readonly anyHead: readonly IndexedPattern<E>[];
}

/** Indexes `entries` (patterns already checked with `assertPattern`), keeping their order per list. */
export function createPatternIndex<E>(entries: ReadonlyArray<readonly [pattern: string, entry: E]>): PatternIndex<E> {
  const exact = new Map<string, E[]>();
  const byHead: Array<IndexedPattern<E>[] | undefined> = [];
  const anyHead: IndexedPattern<E>[] = [];
  for (const [pattern, entry] of entries) {
    const segments = pattern.split('.');
    const head = segments[0]!;
    if (!pattern.includes('+') && !pattern.includes('#')) {
      exact.set(pattern, [...(exact.get(pattern) ?? []), entry]);
    } else if (head === '+' || head === '#') {
      anyHead.push({ test: compilePattern(pattern), wholeHead: false, entry });
    } else {
      const id = headId(head);
      const list = byHead[id] ?? [];
      byHead[id] = list;
      const wholeHead = segments.length === 2 && segments[1] === '#';
      list.push({ test: compilePattern(pattern), wholeHead, entry });
    }
  }
  // Without holes (Array.from fills them): a holey array is a slower read.
  return { exact, byHead: Array.from(byHead), anyHead };
}

/** The wildcard patterns filed under `topic`'s first segment, if any. */
export function patternsUnderHead<E>(index: PatternIndex<E>, topic: string): readonly IndexedPattern<E>[] | undefined {
  const id = headIdOf(topic);
  // Numbers are the realm's: a head of other patterns may be past this index's end.
  return id >= 0 && id < index.byHead.length ? index.byHead[id] : undefined;
}

function hasMatch<E>(index: PatternIndex<E>, topic: string): boolean {
  // A topic's first hash is computed on lookup: skip the map when there is nothing in it.
  if (index.exact.size > 0 && index.exact.has(topic)) return true;
  const underHead = patternsUnderHead(index, topic);
  if (underHead !== undefined) {
    for (let i = 0; i < underHead.length; i++) {
      const indexed = underHead[i]!;
      if (indexed.wholeHead || indexed.test(topic)) return true;
    }
  }
  const { anyHead } = index;
  for (let i = 0; i < anyHead.length; i++) if (anyHead[i]!.test(topic)) return true;
  return false;
}

/** A predicate for one pattern; the common shapes skip the segment walk. */
function compilePattern(pattern: string): (topic: string) => boolean {
  const segments = pattern.split('.');
  const wild = segments.filter((segment) => segment === '+' || segment === '#').length;
  if (wild === 0) return (topic) => topic === pattern;
  if (pattern === '#') return (topic) => !isSystemTopic(topic);
  if (wild === 1 && segments[segments.length - 1] === '#') {
    const prefix = segments.slice(0, -1).join('.');
    const dotted = `${prefix}.`;
    return (topic) => topic === prefix || topic.startsWith(dotted);
  }
  const startsWild = segments[0] === '+' || segments[0] === '#';
  return (topic) => !(startsWild && isSystemTopic(topic)) && matchSegments(segments, topic);
}

/** Walks `topic` segment by segment against the pattern's segments, without splitting it. */
function matchSegments(segments: readonly string[], topic: string): boolean {
  let start = 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    // `#` also matches zero segments: `a.#` matches `a`.
    if (segment === '#') return true;
    if (start > topic.length) return false;
    let end = topic.indexOf('.', start);
    if (end < 0) end = topic.length;
    if (segment !== '+' && (end - start !== segment.length || !topic.startsWith(segment, start))) return false;
    start = end + 1;
  }
  return start === topic.length + 1;
}

/** As in MQTT, a pattern starting with a wildcard does not reach `$sys.` topics. */
function isSystemTopic(topic: string): boolean {
  return topic === SYSTEM_PREFIX || topic.startsWith(`${SYSTEM_PREFIX}.`);
}

function isWildcard(segment: string | undefined): boolean {
  return segment === '+' || segment === '#';
}

/** True when every topic `inner` matches is matched by `outer` (both split into segments). */
export function covers(outer: readonly string[], inner: readonly string[]): boolean {
  if (isWildcard(outer[0]) && inner[0] === SYSTEM_PREFIX) return false;
  // A topic has at least one segment, so `#` alone is `+.#`.
  if (inner.length === 1 && inner[0] === '#') inner = ['+', '#'];
  for (let i = 0; ; i++) {
    const o = outer[i];
    const n = inner[i];
    if (o === '#') return true;
    if (o === undefined || n === undefined) return o === n;
    // `inner` can match any number of segments here, `outer` a fixed one.
    if (n === '#') return false;
    if (o === '+') continue;
    if (n !== o) return false;
  }
}

/** True when some topic matches both patterns (split into segments). */
export function overlaps(a: readonly string[], b: readonly string[]): boolean {
  if ((isWildcard(a[0]) && b[0] === SYSTEM_PREFIX) || (isWildcard(b[0]) && a[0] === SYSTEM_PREFIX)) return false;
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === '#' || y === '#') return true;
    if (x === undefined || y === undefined) return x === y;
    if (x !== '+' && y !== '+' && x !== y) return false;
  }
}
