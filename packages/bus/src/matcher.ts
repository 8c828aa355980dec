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
  let size = 0;

  function add(pattern: string, entry: S): void {
    let node = root;
    const segments = pattern.split('.');
    for (const segment of segments) {
      if (segment === '#') {
        (node.hash ??= []).push(entry);
        size++;
        cache.clear();
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
    (node.exact ??= []).push(entry);
    size++;
    cache.clear();
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
    cache.clear();
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
    const found: S[] = [];
    const segments = topic.split('.');
    // MQTT rule: a pattern that starts with a wildcard does not reach `$`-topics (system events),
    // so `#` means "every app topic".
    const system = topic.charCodeAt(0) === 36; /* $ */
    if (!system && root.hash) pushAll(found, root.hash);
    const child = root.children?.get(segments[0]!);
    if (child) walk(child, segments, 1, found);
    if (!system && root.plus) walk(root.plus, segments, 1, found);
    const result = found.length === 0 ? EMPTY : found.length === 1 ? found : found.sort(bySeq);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(topic, result);
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

function walk<S>(node: TrieNode<S>, segments: string[], index: number, found: S[]): void {
  if (node.hash) pushAll(found, node.hash);
  if (index === segments.length) {
    if (node.exact) pushAll(found, node.exact);
    return;
  }
  const child = node.children?.get(segments[index]!);
  if (child) walk(child, segments, index + 1, found);
  if (node.plus) walk(node.plus, segments, index + 1, found);
}

function pushAll<S>(target: S[], source: S[]): void {
  for (let i = 0; i < source.length; i++) target.push(source[i]!);
}

function bySeq(a: Matchable, b: Matchable): number {
  return a.seq - b.seq;
}

function newNode<S>(): TrieNode<S> {
  return { children: undefined, plus: undefined, exact: undefined, hash: undefined };
}

function isEmpty(node: TrieNode<unknown>): boolean {
  return !node.children && !node.plus && !node.exact && !node.hash;
}
