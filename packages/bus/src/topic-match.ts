import type { TopicMatcher } from './matcher.ts';
import { cachedResult, looksUp, storeResult } from './topic-cache.ts';
import { makeRoom, readTopic } from './topic-reading.ts';
import {
  childOf,
  HAS_EXACT,
  HAS_HASH,
  HAS_LITERALS,
  HAS_PLUS,
  NONE,
  ROOT,
  type Cached,
  type Result,
  type TopicTrie,
} from './topic-trie.ts';

/**
 * Answers topics from a {@link TopicTrie}: the last topic, else the cache, else a walk of the
 * trie over the topic's reading (see {@link TopicMatcher.match} for the order of the answer).
 */

const EMPTY: Result<never, never> = Object.freeze([]);

/** {@link TopicMatcher.scan}. */
export function scanTopic<E, T>(trie: TopicTrie<E, T>, subject: string): boolean {
  makeRoom(trie, subject);
  if (trie.waiting.length < trie.segmentKeys.length) trie.waiting = new Int32Array(trie.segmentKeys.length);
  const plain = readTopic(subject, trie);
  trie.scanned = subject;
  trie.scannedPlain = plain;
  return plain;
}

/**
 * Whether `subject` is a plain topic known to the cache, or the last one matched (then it is the
 * next {@link matchLists}' answer, without a second lookup). False: read it to know.
 */
export function isKnownTopic<E, T>(trie: TopicTrie<E, T>, subject: string): boolean {
  // `lastTopic` is undefined after a change: `publish(undefined)` must not pass for it.
  if (subject === trie.lastTopic) return trie.lastPlain && subject !== undefined;
  const result = lookUp(trie, subject);
  if (result === undefined) return false;
  remember(trie, subject, result, result.length, true);
  return true;
}

/** The cached answer for `subject`, unless the cache rests or a change made it stale. */
function lookUp<E, T>(trie: TopicTrie<E, T>, subject: string): Result<E, T> | undefined {
  const { cache } = trie;
  const cached = looksUp(cache) ? cachedResult(cache, subject) : undefined;
  return cached !== undefined && isCurrent(trie, cached) ? cached.result : undefined;
}

function isCurrent<E, T>(trie: TopicTrie<E, T>, cached: Cached<E, T>): boolean {
  // No list made since it was last found current: nothing can have changed the answer (a node is
  // reused, and a root child made, only for a new list). One compare for a hot topic.
  if (cached.checked === trie.listsAdded) return true;
  const stamp = cached.first === NONE ? trie.rootChildrenMade : trie.generations[cached.first];
  if (cached.stamp !== stamp || cached.wildcards !== trie.wildcardChanges) return false;
  cached.checked = trie.listsAdded;
  return true;
}

/** How many topics have a cached answer that is still current. */
export function cachedTopicCount<E, T>(trie: TopicTrie<E, T>): number {
  let count = 0;
  for (const cached of trie.cache.entries.values()) if (isCurrent(trie, cached)) count++;
  return count;
}

function remember<E, T>(
  trie: TopicTrie<E, T>,
  subject: string,
  result: Result<E, T>,
  count: number,
  plain: boolean,
): void {
  trie.lastTopic = subject;
  trie.lastPlain = plain;
  trie.lastResult = result;
  trie.lastCount = count;
}

/** {@link TopicMatcher.match}: the lists of {@link matchLists}, in an array of their own. */
export function matchTopic<E, T>(trie: TopicTrie<E, T>, subject: string): Result<E, T> {
  const lists = matchLists(trie, subject);
  return lists === trie.matched ? lists.slice(0, trie.lastCount) : lists;
}

/**
 * The lists matching `subject`: the first `trie.lastCount` of the answer. For the bus's delivery,
 * which reads them before anything else can match: the answer may be the walk's scratch array,
 * good until the next walk. Copying it for every topic cost ~10% of a match.
 */
export function matchLists<E, T>(trie: TopicTrie<E, T>, subject: string): Result<E, T> {
  if (subject === trie.lastTopic) return trie.lastResult;
  const { cache } = trie;
  // A topic just read was looked up first (by the bus's publish) and missed.
  if (subject !== trie.scanned) {
    const cached = lookUp(trie, subject);
    if (cached !== undefined) {
      remember(trie, subject, cached, cached.length, true);
      return cached;
    }
    scanTopic(trie, subject);
  }
  const count = walk(trie, subject);
  let result: Result<E, T> = count === 0 ? EMPTY : trie.matched;
  // Only plain topics are kept, so that a hit also tells the bus's publish that a topic is valid.
  if (trie.scannedPlain && cache.capacity > 0 && cache.resting === 0) {
    result = result.slice(0, count); // the scratch is overwritten by the next walk
    const { first } = trie;
    const stamp = first === NONE ? trie.rootChildrenMade : trie.generations[first]!;
    storeResult(cache, subject, { result, first, stamp, wildcards: trie.wildcardChanges, checked: trie.listsAdded });
  }
  remember(trie, subject, result, count, trie.scannedPlain);
  return result;
}

/**
 * Writes into `trie.matched` the lists matching the topic read last (`subject`) and returns how
 * many. MQTT rule: a pattern that starts with a wildcard does not reach `$`-topics.
 *
 * Depth first, in one loop: at each node its `#` list, then (at the topic's end) its exact list,
 * else the literal child's subtree, then the `+` child's, which waits on a stack meanwhile. (A
 * recursive walk re-read the trie's fields on each of its ~5 calls per topic: ~10 ns more.)
 */
function walk<E, T>(trie: TopicTrie<E, T>, subject: string): number {
  const { hash, exact, plus, shapes, matched, waiting, segmentKeys, segmentStarts, count } = trie;
  let found = 0;
  // Pairs (node, index of the segment it reads next). Their indexes grow from the bottom of the
  // stack up, so it never holds more than one pair per segment.
  let waits = 0;
  const rootShape = shapes[ROOT]!;
  if (subject.charCodeAt(0) !== 36 /* $ */) {
    if ((rootShape & HAS_HASH) !== 0) matched[found++] = hash[ROOT]!;
    if ((rootShape & HAS_PLUS) !== 0) {
      waiting[waits++] = plus[ROOT]!;
      waiting[waits++] = 1;
    }
  }
  let node =
    (rootShape & HAS_LITERALS) !== 0
      ? childOf(trie, ROOT, segmentKeys[0]!, segmentKeys[1]!, subject, 0, segmentStarts[1]! - 1)
      : NONE;
  trie.first = node;
  let index = 1;
  for (;;) {
    if (node === NONE) {
      if (waits === 0) return found;
      index = waiting[--waits]!;
      node = waiting[--waits]!;
    }
    const shape = shapes[node]!;
    if ((shape & HAS_HASH) !== 0) matched[found++] = hash[node]!;
    if (index === count) {
      if ((shape & HAS_EXACT) !== 0) matched[found++] = exact[node]!;
      node = NONE;
      continue;
    }
    if ((shape & HAS_PLUS) !== 0) {
      waiting[waits++] = plus[node]!;
      waiting[waits++] = index + 1;
    }
    node =
      (shape & HAS_LITERALS) !== 0
        ? childOf(
            trie,
            node,
            segmentKeys[2 * index]!,
            segmentKeys[2 * index + 1]!,
            subject,
            segmentStarts[index]!,
            segmentStarts[index + 1]! - 1,
          )
        : NONE;
    index++;
  }
}
