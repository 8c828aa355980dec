import { addEdge, createEdgeTable, EMPTY_HASH, findEdge, hashSegment, hashStep, removeEdge } from './edge-table.ts';
import { createTopicCache } from './topic-cache.ts';

/**
 * Routes topics to subscriptions through a trie of pattern segments, so the cost of a match grows
 * with the topic's depth and the number of wildcard branches, not with the number of
 * subscriptions. Repeated topics are answered from a bounded cache.
 */

/** Options of {@link createTopicMatcher}. */
export interface TopicMatcherOptions {
  /**
   * How many distinct topics keep their match lists cached. A topic is admitted when it is
   * matched a second time soon after the first, into a slot picked by its hash (displacing the
   * topic there). The cache is cleared whenever an entry is added or removed, and never holds
   * more than this many topics.
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

const EMPTY: readonly never[] = Object.freeze([]);
// Node 0 is the root. It is never anyone's child, so 0 also means "no `+` child".
const ROOT = 0;

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
  const cache = createTopicCache<readonly (readonly S[])[]>(options.cacheSize ?? 1024);
  // The trie, one array per field, indexed by node: a walk then touches a few dense arrays
  // instead of a scattered object (and its tables) per node.
  const edges = createEdgeTable();
  let plus = new Int32Array(64);
  let literalChildren = new Int32Array(64);
  const exact: Array<readonly S[] | undefined> = [undefined];
  const hash: Array<readonly S[] | undefined> = [undefined];
  const freeNodes: number[] = [];
  let nodeCount = 1;
  let size = 0;
  // The last topic matched and its answer: an app publishing one topic over and over skips even
  // the scan.
  let lastTopic: string | undefined;
  let lastResult: readonly (readonly S[])[] = EMPTY;
  // Scratch for match(): where each segment of the topic starts and ends, and its hash. Reused
  // because match() calls nothing outside this module and so never re-enters.
  const starts: number[] = [];
  const ends: number[] = [];
  const hashes: number[] = [];
  let topic = '';
  let count = 0;

  function newNode(): number {
    const node = freeNodes.pop() ?? nodeCount++;
    if (node >= plus.length) {
      plus = grown(plus);
      literalChildren = grown(literalChildren);
    }
    plus[node] = 0;
    literalChildren[node] = 0;
    exact[node] = undefined;
    hash[node] = undefined;
    return node;
  }

  function isEmpty(node: number): boolean {
    return literalChildren[node] === 0 && plus[node] === 0 && exact[node] === undefined && hash[node] === undefined;
  }

  function changed(): void {
    lastTopic = undefined;
    lastResult = EMPTY;
    cache.clear();
  }

  function literalChild(node: number, segment: string): number {
    return findEdge(edges, node, segment, 0, segment.length, hashSegment(segment, 0, segment.length));
  }

  function add(pattern: string, entry: S): void {
    let node = ROOT;
    for (const segment of pattern.split('.')) {
      if (segment === '#') {
        hash[node] = appended(hash[node], entry);
        size++;
        changed();
        return;
      }
      let next = segment === '+' ? plus[node]! : literalChild(node, segment);
      if (next <= ROOT) {
        next = newNode();
        if (segment === '+') plus[node] = next;
        else {
          addEdge(edges, node, segment, next);
          literalChildren[node]!++;
        }
      }
      node = next;
    }
    exact[node] = appended(exact[node], entry);
    size++;
    changed();
  }

  function remove(pattern: string, entry: S): boolean {
    const parts = pattern.split('.');
    const endsWithHash = parts[parts.length - 1] === '#';
    // The nodes on the way down, so emptied ones can be pruned: patterns made per request (RPC
    // reply topics) must not leave their nodes behind.
    const path: number[] = [ROOT];
    for (let i = 0; i < parts.length - (endsWithHash ? 1 : 0); i++) {
      const next = parts[i] === '+' ? plus[path[i]!]! : literalChild(path[i]!, parts[i]!);
      if (next <= ROOT) return false;
      path.push(next);
    }
    const node = path[path.length - 1]!;
    const list = endsWithHash ? hash[node] : exact[node];
    const index = list ? list.indexOf(entry) : -1;
    if (list === undefined || index < 0) return false;
    // A new list, never a splice: a delivery loop may still be reading the old one.
    const rest = list.length === 1 ? undefined : [...list.slice(0, index), ...list.slice(index + 1)];
    if (endsWithHash) hash[node] = rest;
    else exact[node] = rest;
    size--;
    changed();
    for (let i = path.length - 1; i > 0 && isEmpty(path[i]!); i--) {
      const parent = path[i - 1]!;
      if (parts[i - 1] === '+') plus[parent] = 0;
      else {
        removeEdge(edges, parent, parts[i - 1]!);
        literalChildren[parent]!--;
      }
      exact[path[i]!] = undefined;
      hash[path[i]!] = undefined;
      freeNodes.push(path[i]!);
    }
    return true;
  }

  function match(subject: string): readonly (readonly S[])[] {
    if (subject === lastTopic) return lastResult;
    // One pass finds the segments and hashes them, and the whole topic for the cache.
    topic = subject;
    count = 0;
    let start = 0;
    let segmentHash = EMPTY_HASH;
    let topicHash = EMPTY_HASH;
    for (let i = 0; i < subject.length; i++) {
      const code = subject.charCodeAt(i);
      if (code === 46 /* . */) {
        starts[count] = start;
        ends[count] = i;
        hashes[count++] = segmentHash;
        topicHash = hashStep(topicHash, segmentHash);
        segmentHash = EMPTY_HASH;
        start = i + 1;
      } else {
        segmentHash = hashStep(segmentHash, code);
      }
    }
    starts[count] = start;
    ends[count] = subject.length;
    hashes[count++] = segmentHash;
    topicHash = hashStep(topicHash, segmentHash);
    let result = cache.get(subject, topicHash);
    if (result === undefined) {
      result = walk();
      cache.offer(subject, topicHash, result);
    }
    lastTopic = subject;
    lastResult = result;
    return result;
  }

  function walk(): readonly (readonly S[])[] {
    let found: Array<readonly S[]> | undefined;
    // MQTT rule: a pattern that starts with a wildcard does not reach `$`-topics (system events),
    // so `#` means "every app topic".
    const system = topic.charCodeAt(0) === 36; /* $ */
    if (!system && hash[ROOT]) found = [hash[ROOT]];
    const first = findEdge(edges, ROOT, topic, starts[0]!, ends[0]!, hashes[0]!);
    if (first > ROOT) found = collect(first, 1, found);
    if (!system && plus[ROOT] !== 0) found = collect(plus[ROOT]!, 1, found);
    return found ?? EMPTY;
  }

  /** Appends the lists under `node` that match segments `index…count-1`; allocates only on a hit. */
  function collect(node: number, index: number, found: Array<readonly S[]> | undefined): Array<readonly S[]> | undefined {
    const hashList = hash[node];
    if (hashList !== undefined) (found ??= []).push(hashList);
    if (index === count) {
      const exactList = exact[node];
      if (exactList !== undefined) (found ??= []).push(exactList);
      return found;
    }
    if (literalChildren[node] !== 0) {
      const next = findEdge(edges, node, topic, starts[index]!, ends[index]!, hashes[index]!);
      if (next > ROOT) found = collect(next, index + 1, found);
    }
    const wildcard = plus[node]!;
    if (wildcard !== 0) found = collect(wildcard, index + 1, found);
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

/** A new list: one handed out by `match` may still be iterated. */
function appended<S>(list: readonly S[] | undefined, entry: S): readonly S[] {
  return list ? [...list, entry] : [entry];
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
