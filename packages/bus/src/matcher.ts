import {
  createSegmentTable, deleteSegment, EMPTY_HASH, getSegment, hashSegment, hashStep, setSegment, type SegmentTable,
} from './segment-table.ts';

/**
 * Routes topics to subscriptions through a trie of pattern segments, so the cost of a match grows
 * with the topic's depth and the number of wildcard branches, not with the number of
 * subscriptions. Repeated topics are answered from a bounded cache.
 */

/** Options of {@link createTopicMatcher}. */
export interface TopicMatcherOptions {
  /**
   * How many distinct topics keep their match lists cached, the most recently admitted ones. A
   * topic is admitted when it is matched a second time soon after the first. The cache is
   * cleared whenever an entry is added or removed, and never grows past this bound.
   * @default 1024
   */
  cacheSize?: number;
}

/**
 * A pattern trie with a bounded per-topic cache.
 *
 * `match` answers with the trie's own lists rather than one merged list: merging cost more than
 * the walk. A list is never changed once stored (adding or removing an entry replaces the whole
 * list), so what `match` returned stays a snapshot of the moment it was called, safe to iterate
 * while entries are added or removed.
 */
export interface TopicMatcher<S> {
  /** Stores `entry` under a validated pattern, after the entries already stored under it. */
  add(pattern: string, entry: S): void;
  /** Removes `entry` from a pattern; returns false when it was not there. */
  remove(pattern: string, entry: S): boolean;
  /**
   * The entries whose pattern matches the (validated) topic, as non-empty lists, one per
   * matching pattern. The order is fixed: depth first through the pattern's segments, where at
   * each segment `#` comes first, then the topic's own segment, then `+` (so for `a.b`: `#`,
   * `a.#`, `a.b`, `a.+`, `+.b`); within a list, the order entries were added. Do not mutate.
   */
  match(topic: string): readonly (readonly S[])[];
  /** Number of entries stored. */
  readonly size: number;
  /** Number of topics currently cached (never more than `cacheSize`). */
  readonly cachedTopics: number;
}

interface TrieNode<S> {
  children: SegmentTable<TrieNode<S>> | undefined;
  plus: TrieNode<S> | undefined;
  /** Entries whose pattern ends exactly here. Replaced, never mutated. */
  exact: readonly S[] | undefined;
  /** Entries whose pattern ends with `#` here: they match this node and everything below. */
  hash: readonly S[] | undefined;
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Creates an empty matcher.
 *
 * @example
 * import { createTopicMatcher } from '@switchboard/bus';
 * const m = createTopicMatcher<string>();
 * m.add('orders.+', 'any order event');
 * m.add('orders.#', 'everything about orders');
 * m.match('orders.created'); // [['everything about orders'], ['any order event']]
 */
export function createTopicMatcher<S>(options: TopicMatcherOptions = {}): TopicMatcher<S> {
  const cacheSize = Math.max(0, Math.floor(options.cacheSize ?? 1024));
  const root = newNode<S>();
  const cache = new Map<string, readonly (readonly S[])[]>();
  // Cached topics in insertion order, as a ring: evicting the oldest is one array read, where
  // `cache.keys().next()` allocated an iterator on every miss of a full cache.
  const cacheOrder: string[] = [];
  let cacheNext = 0;
  // A topic enters the cache on its second sighting within a while. Where ids make most topics
  // distinct, nearly every match is a miss, and a Map insert (with a delete once full) cost more
  // than the walk it saves. `seen` holds recent topics at one of two slots picked by their hash,
  // written in turn, so two topics sharing a slot cannot keep each other out of the cache.
  const seenSize = cacheSize * 2;
  const seen = new Array<string | undefined>(seenSize).fill(undefined);
  let seenFirst = false;
  // Scratch for match(): where each segment of the topic starts and ends, and its hash. Reused
  // because match() calls nothing outside this module and so never re-enters.
  const starts: number[] = [];
  const ends: number[] = [];
  const hashes: number[] = [];
  let size = 0;

  function clearCache(): void {
    if (cache.size === 0) return;
    cache.clear();
    cacheOrder.length = 0;
    cacheNext = 0;
  }

  function cacheResult(topic: string, result: readonly (readonly S[])[]): void {
    if (cache.size >= cacheSize) cache.delete(cacheOrder[cacheNext]!);
    cache.set(topic, result);
    cacheOrder[cacheNext] = topic;
    cacheNext = cacheNext + 1 === cacheSize ? 0 : cacheNext + 1;
  }

  function child(node: TrieNode<S>, segment: string): TrieNode<S> | undefined {
    return node.children && getSegment(node.children, segment, 0, segment.length, hashSegment(segment, 0, segment.length));
  }

  function add(pattern: string, entry: S): void {
    let node = root;
    for (const segment of pattern.split('.')) {
      if (segment === '#') {
        node.hash = node.hash ? [...node.hash, entry] : [entry];
        size++;
        clearCache();
        return;
      }
      if (segment === '+') {
        node = node.plus ??= newNode();
      } else {
        let next = child(node, segment);
        if (next === undefined) setSegment((node.children ??= createSegmentTable()), segment, (next = newNode()));
        node = next;
      }
    }
    node.exact = node.exact ? [...node.exact, entry] : [entry];
    size++;
    clearCache();
  }

  function remove(pattern: string, entry: S): boolean {
    const parts = pattern.split('.');
    const hash = parts[parts.length - 1] === '#';
    // Remember the path so emptied nodes can be pruned: patterns made per request (RPC reply
    // topics) must not leave their nodes behind.
    const path: Array<{ parent: TrieNode<S>; segment: string; node: TrieNode<S> }> = [];
    let node: TrieNode<S> = root;
    for (let i = 0; i < parts.length - (hash ? 1 : 0); i++) {
      const segment = parts[i]!;
      const next = segment === '+' ? node.plus : child(node, segment);
      if (next === undefined) return false;
      path.push({ parent: node, segment, node: next });
      node = next;
    }
    const list = hash ? node.hash : node.exact;
    const index = list ? list.indexOf(entry) : -1;
    if (list === undefined || index < 0) return false;
    // A new list, never a splice: a delivery loop may still be reading the old one.
    const rest = list.length === 1 ? undefined : [...list.slice(0, index), ...list.slice(index + 1)];
    if (hash) node.hash = rest;
    else node.exact = rest;
    size--;
    clearCache();
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i]!;
      if (!isEmpty(step.node)) break;
      const parent = step.parent;
      if (step.segment === '+') parent.plus = undefined;
      else if (parent.children) {
        deleteSegment(parent.children, step.segment);
        if (parent.children.size === 0) parent.children = undefined;
      }
    }
    return true;
  }

  function match(topic: string): readonly (readonly S[])[] {
    const cached = cache.get(topic);
    if (cached !== undefined) return cached;
    // One pass finds the segments and hashes them, and the whole topic for `seen`.
    let count = 0;
    let start = 0;
    let hash = EMPTY_HASH;
    let topicHash = EMPTY_HASH;
    for (let i = 0; i < topic.length; i++) {
      const code = topic.charCodeAt(i);
      if (code === 46 /* . */) {
        starts[count] = start;
        ends[count] = i;
        hashes[count++] = hash;
        topicHash = hashStep(topicHash, hash);
        hash = EMPTY_HASH;
        start = i + 1;
      } else {
        hash = hashStep(hash, code);
      }
    }
    starts[count] = start;
    ends[count] = topic.length;
    hashes[count++] = hash;
    topicHash = hashStep(topicHash, hash);
    let found: Array<readonly S[]> | undefined;
    // MQTT rule: a pattern that starts with a wildcard does not reach `$`-topics (system events),
    // so `#` means "every app topic".
    const system = topic.charCodeAt(0) === 36; /* $ */
    if (!system && root.hash) found = [root.hash];
    const first = root.children && getSegment(root.children, topic, 0, ends[0]!, hashes[0]!);
    if (first) found = collect(first, topic, count, 1, found);
    if (!system && root.plus) found = collect(root.plus, topic, count, 1, found);
    const result = found ?? EMPTY;
    if (cacheSize > 0) {
      const first = (topicHash >>> 0) % seenSize;
      const second = (Math.imul(topicHash, 0x9e3779b1) >>> 0) % seenSize;
      if (seen[first] === topic || seen[second] === topic) cacheResult(topic, result);
      else seen[(seenFirst = !seenFirst) ? first : second] = topic;
    }
    return result;
  }

  /** Appends the lists under `node` that match segments `index…count-1`; allocates only on a hit. */
  function collect(
    node: TrieNode<S>, topic: string, count: number, index: number, found: Array<readonly S[]> | undefined,
  ): Array<readonly S[]> | undefined {
    if (node.hash) (found ??= []).push(node.hash);
    if (index === count) {
      if (node.exact) (found ??= []).push(node.exact);
      return found;
    }
    const next = node.children && getSegment(node.children, topic, starts[index]!, ends[index]!, hashes[index]!);
    if (next) found = collect(next, topic, count, index + 1, found);
    if (node.plus) found = collect(node.plus, topic, count, index + 1, found);
    return found;
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

function newNode<S>(): TrieNode<S> {
  return { children: undefined, plus: undefined, exact: undefined, hash: undefined };
}

function isEmpty(node: TrieNode<unknown>): boolean {
  return !node.children && !node.plus && !node.exact && !node.hash;
}
