/**
 * Routes topics to subscriptions through a trie of pattern segments, so the cost of a match grows
 * with the topic's depth and the number of wildcard branches, not with the number of
 * subscriptions. Repeated topics are answered from a bounded cache.
 */

/** Anything stored in the matcher; `seq` orders the matches of one topic (subscription order). */
export interface Matchable {
  readonly seq: number;
}

/** Options of {@link createTopicMatcher}. */
export interface TopicMatcherOptions {
  /**
   * How many distinct topics keep their match list cached. The cache is cleared whenever a
   * subscription is added or removed, and never grows past this bound.
   * @default 1024
   */
  cacheSize?: number;
}

/** A pattern trie with a bounded per-topic cache. */
export interface TopicMatcher<S extends Matchable> {
  /** Stores `entry` under a validated pattern. */
  add(pattern: string, entry: S): void;
  /** Removes `entry` from a pattern; returns false when it was not there. */
  remove(pattern: string, entry: S): boolean;
  /** Every entry whose pattern matches the (validated) topic, in `seq` order. Do not mutate. */
  match(topic: string): readonly S[];
  /** Number of entries stored. */
  readonly size: number;
  /** Number of topics currently cached (never more than `cacheSize`). */
  readonly cachedTopics: number;
}

interface TrieNode<S> {
  children: Map<string, TrieNode<S>> | undefined;
  plus: TrieNode<S> | undefined;
  /** Entries whose pattern ends exactly here. */
  exact: S[] | undefined;
  /** Entries whose pattern ends with `#` here: they match this node and everything below. */
  hash: S[] | undefined;
}

/** A step of the merge cache: one level per contributing trie list, in the order found. */
interface MergeNode<S> {
  next: Map<S[], MergeNode<S>> | undefined;
  result: readonly S[] | undefined;
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Creates an empty matcher.
 *
 * @example
 * import { createTopicMatcher } from '@switchboard/bus';
 * const m = createTopicMatcher<{ seq: number }>();
 * m.add('orders.+', { seq: 1 });
 * m.match('orders.created'); // [{ seq: 1 }]
 */
export function createTopicMatcher<S extends Matchable>(options: TopicMatcherOptions = {}): TopicMatcher<S> {
  const cacheSize = options.cacheSize ?? 1024;
  const root = newNode<S>();
  const cache = new Map<string, readonly S[]>();
  // Cached topics in insertion order, as a ring: evicting the oldest is one array read, where
  // `cache.keys().next()` allocated an iterator on every miss of a full cache.
  const cacheOrder: string[] = [];
  let cacheNext = 0;
  // Scratch for match(): the trie lists that hold one topic's matches. Reused because match()
  // calls nothing outside this module and so never re-enters.
  const lists: S[][] = [];
  // Merged match lists by the trie lists they came from. Topics that differ only in segments
  // nobody subscribes to by name (orders.1.created, orders.2.created…) draw on the same lists,
  // so most topics the topic cache misses are still answered without merging. Bounded like the
  // topic cache: emptied when it reaches `cacheSize` results.
  let merges = newMergeNode<S>();
  let mergeCount = 0;
  let size = 0;

  function clearCache(): void {
    cache.clear();
    cacheOrder.length = 0;
    cacheNext = 0;
    merges = newMergeNode();
    mergeCount = 0;
  }

  function mergedOf(found: S[][]): readonly S[] {
    if (mergeCount >= cacheSize) {
      merges = newMergeNode();
      mergeCount = 0;
    }
    let node = merges;
    for (let j = 0; j < found.length; j++) {
      const list = found[j]!;
      let next = node.next?.get(list);
      if (next === undefined) (node.next ??= new Map()).set(list, (next = newMergeNode()));
      node = next;
    }
    if (node.result !== undefined) return node.result;
    // A copy even for one list, because unsubscribing splices the trie's list while a delivery
    // loop may still be reading the result.
    const result = found.length === 1 ? found[0]!.slice() : mergeBySeq(found);
    if (cacheSize >= 1) {
      node.result = result;
      mergeCount++;
    }
    return result;
  }

  function cacheResult(topic: string, result: readonly S[]): void {
    if (cacheSize < 1) return;
    if (cache.size >= cacheSize) cache.delete(cacheOrder[cacheNext]!);
    cache.set(topic, result);
    cacheOrder[cacheNext] = topic;
    cacheNext = cacheNext + 1 === cacheSize ? 0 : cacheNext + 1;
  }

  function add(pattern: string, entry: S): void {
    let node = root;
    const segments = pattern.split('.');
    for (const segment of segments) {
      if (segment === '#') {
        insertBySeq((node.hash ??= []), entry);
        size++;
        clearCache();
        return;
      }
      if (segment === '+') {
        node = node.plus ??= newNode();
      } else {
        const children = (node.children ??= new Map());
        let child = children.get(segment);
        if (child === undefined) children.set(segment, (child = newNode()));
        node = child;
      }
    }
    insertBySeq((node.exact ??= []), entry);
    size++;
    clearCache();
  }

  function remove(pattern: string, entry: S): boolean {
    const segments = pattern.split('.');
    // Remember the path so emptied nodes can be pruned: patterns made per request (RPC reply
    // topics) must not leave their nodes behind.
    const path: Array<{ parent: TrieNode<S>; segment: string; node: TrieNode<S> }> = [];
    let node: TrieNode<S> | undefined = root;
    let list: S[] | undefined;
    for (const segment of segments) {
      if (segment === '#') {
        list = node.hash;
        break;
      }
      const next: TrieNode<S> | undefined = segment === '+' ? node.plus : node.children?.get(segment);
      if (next === undefined) return false;
      path.push({ parent: node, segment, node: next });
      node = next;
    }
    list ??= segments[segments.length - 1] === '#' ? undefined : node.exact;
    const index = list ? list.indexOf(entry) : -1;
    if (list === undefined || index < 0) return false;
    list.splice(index, 1);
    if (list.length === 0) {
      if (list === node.hash) node.hash = undefined;
      else node.exact = undefined;
    }
    size--;
    clearCache();
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i]!;
      if (!isEmpty(step.node)) break;
      if (step.segment === '+') step.parent.plus = undefined;
      else step.parent.children?.delete(step.segment);
      if (step.parent.children?.size === 0) step.parent.children = undefined;
    }
    return true;
  }

  function match(topic: string): readonly S[] {
    const cached = cache.get(topic);
    if (cached !== undefined) return cached;
    const segments = topic.split('.');
    // MQTT rule: a pattern that starts with a wildcard does not reach `$`-topics (system events),
    // so `#` means "every app topic".
    const system = topic.charCodeAt(0) === 36; /* $ */
    if (!system && root.hash) lists.push(root.hash);
    const child = root.children?.get(segments[0]!);
    if (child) collect(child, segments, 1, lists);
    if (!system && root.plus) collect(root.plus, segments, 1, lists);
    // Each list is already in seq order, so merging them is cheaper than sorting every entry.
    const result = lists.length === 0 ? EMPTY : mergedOf(lists);
    lists.length = 0;
    cacheResult(topic, result);
    return result;
  }

  return {
    add,
    remove,
    match,
    get size() {
      return size;
    },
    get cachedTopics() {
      return cache.size;
    },
  };
}

function collect<S>(node: TrieNode<S>, segments: string[], index: number, lists: S[][]): void {
  if (node.hash) lists.push(node.hash);
  if (index === segments.length) {
    if (node.exact) lists.push(node.exact);
    return;
  }
  const child = node.children?.get(segments[index]!);
  if (child) collect(child, segments, index + 1, lists);
  if (node.plus) collect(node.plus, segments, index + 1, lists);
}

/** Keeps a trie list in seq order; subscriptions arrive in seq order, so this is a push. */
function insertBySeq<S extends Matchable>(list: S[], entry: S): void {
  let index = list.length;
  while (index > 0 && list[index - 1]!.seq > entry.seq) index--;
  if (index === list.length) list.push(entry);
  else list.splice(index, 0, entry);
}

/**
 * Merges lists that are each in seq order. A topic draws on a handful of lists (its exact node,
 * a few `+` and `#` nodes), so picking the smallest head each time is cheap, provided the heads'
 * seqs sit in a small local array: reading `.seq` off scattered entries k times per output
 * entry cost more than the rest of a match.
 */
function mergeBySeq<S extends Matchable>(lists: readonly S[][]): S[] {
  const count = lists.length;
  const heads = new Array<number>(count);
  const headSeqs = new Array<number>(count);
  let total = 0;
  for (let j = 0; j < count; j++) {
    const list = lists[j]!;
    total += list.length;
    heads[j] = 0;
    headSeqs[j] = list[0]!.seq; // collect() only gathers non-empty lists
  }
  const merged = new Array<S>(total);
  let out = 0;
  while (out < total) {
    let best = 0;
    let bestSeq = headSeqs[0]!;
    let nextSeq = Infinity; // the smallest head of the other lists
    for (let j = 1; j < count; j++) {
      const seq = headSeqs[j]!;
      if (seq < bestSeq) {
        nextSeq = bestSeq;
        bestSeq = seq;
        best = j;
      } else if (seq < nextSeq) {
        nextSeq = seq;
      }
    }
    // Copy the whole run of the best list that comes before every other head.
    const list = lists[best]!;
    let head = heads[best]!;
    let seq = bestSeq;
    do {
      merged[out++] = list[head++]!;
      seq = head < list.length ? list[head]!.seq : Infinity;
    } while (seq < nextSeq);
    heads[best] = head;
    headSeqs[best] = seq;
  }
  return merged;
}

function newMergeNode<S>(): MergeNode<S> {
  return { next: undefined, result: undefined };
}

function newNode<S>(): TrieNode<S> {
  return { children: undefined, plus: undefined, exact: undefined, hash: undefined };
}

function isEmpty(node: TrieNode<unknown>): boolean {
  return !node.children && !node.plus && !node.exact && !node.hash;
}
