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
  let size = 0;

  function clearCache(): void {
    cache.clear();
    cacheOrder.length = 0;
    cacheNext = 0;
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
    // Each list is already in seq order, so merging them is cheaper than sorting every entry;
    // a copy even for one list, because unsubscribing splices the trie's list while a delivery
    // loop may still be reading the result.
    const result = lists.length === 0 ? EMPTY : lists.length === 1 ? lists[0]!.slice() : mergeBySeq(lists);
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
 * a few `+` and `#` nodes), so picking the smallest head of each is cheap and allocates only
 * the result.
 */
function mergeBySeq<S extends Matchable>(lists: readonly S[][]): S[] {
  const count = lists.length;
  const heads = new Array<number>(count).fill(0);
  let total = 0;
  for (let j = 0; j < count; j++) total += lists[j]!.length;
  const merged = new Array<S>(total);
  for (let out = 0; out < total; out++) {
    let best = 0;
    let bestSeq = Infinity;
    for (let j = 0; j < count; j++) {
      const list = lists[j]!;
      const head = heads[j]!;
      if (head < list.length && list[head]!.seq < bestSeq) {
        bestSeq = list[head]!.seq;
        best = j;
      }
    }
    merged[out] = lists[best]![heads[best]!++]!;
  }
  return merged;
}

function newNode<S>(): TrieNode<S> {
  return { children: undefined, plus: undefined, exact: undefined, hash: undefined };
}

function isEmpty(node: TrieNode<unknown>): boolean {
  return !node.children && !node.plus && !node.exact && !node.hash;
}
