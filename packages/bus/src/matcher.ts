/**
 * Routes topics to subscriptions through a trie of pattern segments, so the cost of a match grows
 * with the topic's depth and the number of wildcard branches, not with the number of
 * subscriptions. Repeated topics are answered from a bounded cache.
 */

/** Options of {@link createTopicMatcher}. */
export interface TopicMatcherOptions {
  /**
   * How many distinct topics keep their match lists cached. The cache is cleared whenever an
   * entry is added or removed, and never grows past this bound.
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
  children: Map<string, TrieNode<S>> | undefined;
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
  const cacheSize = options.cacheSize ?? 1024;
  const root = newNode<S>();
  const cache = new Map<string, readonly (readonly S[])[]>();
  // Cached topics in insertion order, as a ring: evicting the oldest is one array read, where
  // `cache.keys().next()` allocated an iterator on every miss of a full cache.
  const cacheOrder: string[] = [];
  let cacheNext = 0;
  // Scratch for match(): the topic's segments. Reused because match() calls nothing outside
  // this module and so never re-enters; `split` allocated an array per topic.
  const segments: string[] = [];
  let size = 0;

  function clearCache(): void {
    cache.clear();
    cacheOrder.length = 0;
    cacheNext = 0;
  }

  function cacheResult(topic: string, result: readonly (readonly S[])[]): void {
    if (cacheSize < 1) return;
    if (cache.size >= cacheSize) cache.delete(cacheOrder[cacheNext]!);
    cache.set(topic, result);
    cacheOrder[cacheNext] = topic;
    cacheNext = cacheNext + 1 === cacheSize ? 0 : cacheNext + 1;
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
        const children = (node.children ??= new Map());
        let child = children.get(segment);
        if (child === undefined) children.set(segment, (child = newNode()));
        node = child;
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
      const next: TrieNode<S> | undefined = segment === '+' ? node.plus : node.children?.get(segment);
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
      if (step.segment === '+') step.parent.plus = undefined;
      else step.parent.children?.delete(step.segment);
      if (step.parent.children?.size === 0) step.parent.children = undefined;
    }
    return true;
  }

  function match(topic: string): readonly (readonly S[])[] {
    const cached = cache.get(topic);
    if (cached !== undefined) return cached;
    let count = 0;
    for (let start = 0; ; ) {
      const dot = topic.indexOf('.', start);
      if (dot === -1) {
        segments[count++] = start === 0 ? topic : topic.slice(start);
        break;
      }
      segments[count++] = topic.slice(start, dot);
      start = dot + 1;
    }
    let found: Array<readonly S[]> | undefined;
    // MQTT rule: a pattern that starts with a wildcard does not reach `$`-topics (system events),
    // so `#` means "every app topic".
    const system = topic.charCodeAt(0) === 36; /* $ */
    if (!system && root.hash) found = [root.hash];
    const child = root.children?.get(segments[0]!);
    if (child) found = collect(child, segments, count, 1, found);
    if (!system && root.plus) found = collect(root.plus, segments, count, 1, found);
    const result = found ?? EMPTY;
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

/** Appends the lists under `node` that match segments `index…count-1`; allocates only on a hit. */
function collect<S>(
  node: TrieNode<S>, segments: readonly string[], count: number, index: number, found: Array<readonly S[]> | undefined,
): Array<readonly S[]> | undefined {
  if (node.hash) (found ??= []).push(node.hash);
  if (index === count) {
    if (node.exact) (found ??= []).push(node.exact);
    return found;
  }
  const child = node.children?.get(segments[index]!);
  if (child) found = collect(child, segments, count, index + 1, found);
  if (node.plus) found = collect(node.plus, segments, count, index + 1, found);
  return found;
}

function newNode<S>(): TrieNode<S> {
  return { children: undefined, plus: undefined, exact: undefined, hash: undefined };
}

function isEmpty(node: TrieNode<unknown>): boolean {
  return !node.children && !node.plus && !node.exact && !node.hash;
}
