import { headIdOf } from './topic-heads.ts';
import { createPatternIndex, type IndexedPattern, type PatternIndex } from './topic-rules.ts';

/**
 * Which of a set of schemas a topic must satisfy, as one list per topic: the exact topic's
 * first, then the wildcard patterns under its first segment, then those that start with a
 * wildcard, each in the order given. The common set, one `domain.#` schema per domain, answers
 * a topic with a list made once per head and shared: no array per topic, no pattern test (a
 * `head.#` matches every topic filed under its head). The last topic's answer is kept: apps
 * publish the same topics over and over.
 */
export interface SchemaLookup<E> {
  readonly index: PatternIndex<E>;
  /**
   * Per head number, the entries under it when every one is `head.#`: the whole answer for a
   * topic with that head, unless an exact or wildcard-led pattern can add to it.
   */
  readonly whole: ReadonlyArray<readonly E[] | undefined>;
  lastTopic: string | undefined;
  lastEntries: readonly E[];
}

const NONE: readonly never[] = Object.freeze([]);

/** Indexes `entries` (patterns already checked with `assertPattern`). */
export function createSchemaLookup<E>(entries: ReadonlyArray<readonly [pattern: string, entry: E]>): SchemaLookup<E> {
  const index = createPatternIndex(entries);
  const whole = index.byHead.map((list) =>
    list?.every((indexed) => indexed.wholeHead) ? list.map((indexed) => indexed.entry) : undefined,
  );
  return { index, whole, lastTopic: undefined, lastEntries: NONE };
}

/** The entries whose patterns match `topic`, in order; the list is shared, never change it. */
export function entriesFor<E>(lookup: SchemaLookup<E>, topic: string): readonly E[] {
  if (topic === lookup.lastTopic) return lookup.lastEntries;
  const found = resolve(lookup, topic);
  lookup.lastTopic = topic;
  lookup.lastEntries = found;
  return found;
}

function resolve<E>(lookup: SchemaLookup<E>, topic: string): readonly E[] {
  const { index } = lookup;
  // A topic's first hash is computed on lookup: skip the map when there is nothing in it.
  const exact = index.exact.size === 0 ? undefined : index.exact.get(topic);
  const id = headIdOf(topic);
  // Numbers are the realm's: a head of other patterns may be past this index's end.
  const underHead = id >= 0 && id < index.byHead.length ? index.byHead[id] : undefined;
  if (exact === undefined && index.anyHead.length === 0) {
    if (underHead === undefined) return NONE;
    const whole = lookup.whole[id];
    if (whole !== undefined) return whole;
  }
  const found: E[] = exact === undefined ? [] : [...exact];
  addMatching(found, underHead, topic);
  addMatching(found, index.anyHead, topic);
  return found;
}

function addMatching<E>(found: E[], list: readonly IndexedPattern<E>[] | undefined, topic: string): void {
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const indexed = list[i]!;
    if (indexed.wholeHead || indexed.test(topic)) found.push(indexed.entry);
  }
}
