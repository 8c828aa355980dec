import { addEdge, createEdgeTable, findEdge, removeEdge } from './edge-table.ts';
import {
  createSegmentDictionary, EMPTY_HASH, findSegment, hashSegment, hashStep, releaseSegment, retainSegment,
} from './segment-dictionary.ts';
import { createTopicCache } from './topic-cache.ts';
import { MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SEGMENT_CHARACTERS } from './topic.ts';

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
 *
 * Each entry is stored with a token that identifies it for {@link TopicMatcher.remove}; by
 * default the entry itself. A token lets the entries be what a caller wants to read fast (the bus
 * stores handlers) while removal still tells apart two equal entries (one handler subscribed
 * twice).
 */
export interface TopicMatcher<S, T = S> {
  /** Stores `entry` under a validated pattern, after the entries already stored under it. */
  add(pattern: string, entry: S, token?: T): void;
  /** Removes the entry stored with `token` (the entry itself, by default); false when not there. */
  remove(pattern: string, token: T): boolean;
  /**
   * The entries whose pattern matches the (validated) topic, as non-empty lists, one per
   * matching pattern. The order is fixed: depth first through the pattern's segments, where at
   * each segment `#` comes first, then the topic's own segment, then `+` (so for `a.b`: `#`,
   * `a.#`, `a.b`, `a.+`, `+.b`); within a list, the order entries were added. Do not mutate.
   */
  match(topic: string): readonly (readonly S[])[];
  /** The token of entry `index` of a list that {@link match} returned (also of an older snapshot). */
  tokenOf(list: readonly S[], index: number): T;
  /**
   * Reads `topic` ahead of a {@link match} of it (which then starts from this reading) and tells
   * whether it is a plain topic: at most {@link MAX_TOPIC_LENGTH} characters and
   * {@link MAX_TOPIC_DEPTH} segments, none empty, only letters, digits, `_`, `-` and `:`. False
   * means "check it in detail" (`assertTopic`), not necessarily invalid.
   */
  scan(topic: string): boolean;
  /** Number of entries stored. */
  readonly size: number;
  /** Number of topics currently cached (never more than `cacheSize`). */
  readonly cachedTopics: number;
}

type Lists<S> = Array<readonly S[] | undefined>;

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
export function createTopicMatcher<S, T = S>(options: TopicMatcherOptions = {}): TopicMatcher<S, T> {
  const cache = createTopicCache<readonly (readonly S[])[]>(options.cacheSize ?? 1024);
  // The trie, one array per field, indexed by node: a walk then touches a few dense arrays
  // instead of a scattered object (and its tables) per node.
  const segments = createSegmentDictionary();
  const edges = createEdgeTable();
  let plus = new Int32Array(64);
  let literalChildren = new Int32Array(64);
  const exact: Lists<S> = [undefined];
  const hash: Lists<S> = [undefined];
  // Per stored list (and snapshots still referenced): the tokens of its entries, same order.
  const tokensOf = new WeakMap<readonly S[], readonly T[]>();
  const freeNodes: number[] = [];
  let nodeCount = 1;
  let size = 0;
  // The last topic matched and its answer: an app publishing one topic over and over skips even
  // the scan.
  let lastTopic: string | undefined;
  let lastResult: readonly (readonly S[])[] = EMPTY;
  // The last topic scanned: its segments' numbers (-1: no pattern names it) and its hash. Reused
  // because match() calls nothing outside this module and so never re-enters.
  let scanned: string | undefined;
  let segmentNumbers = new Int32Array(MAX_TOPIC_LENGTH + 1);
  let count = 0;
  let topicHash = EMPTY_HASH;
  // Scratch for walk(): the lists found so far (the first `found` of them).
  // Emptied on every change, so it holds no list of removed entries.
  const matched: Array<readonly S[]> = [];
  let found = 0;

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
    scanned = undefined; // its segment numbers may be stale now
    matched.length = 0;
    cache.clear();
  }

  function numberOf(segment: string): number {
    return findSegment(segments, segment, 0, segment.length, hashSegment(segment, 0, segment.length));
  }

  function literalChild(node: number, segment: string): number {
    const number = numberOf(segment);
    return number < 0 ? -1 : findEdge(edges, node, number);
  }

  function append(lists: Lists<S>, node: number, entry: S, token: T): void {
    const list = lists[node];
    const next = list ? [...list, entry] : [entry];
    tokensOf.set(next, list ? [...tokensOf.get(list)!, token] : [token]);
    lists[node] = next;
  }

  function add(pattern: string, entry: S, token: T = entry as unknown as T): void {
    const parts = pattern.split('.');
    const endsWithHash = parts[parts.length - 1] === '#';
    let node = ROOT;
    for (let i = 0; i < parts.length - (endsWithHash ? 1 : 0); i++) {
      const segment = parts[i]!;
      let next = segment === '+' ? plus[node]! : literalChild(node, segment);
      if (next <= ROOT) {
        next = newNode();
        if (segment === '+') plus[node] = next;
        else {
          addEdge(edges, node, retainSegment(segments, segment), next);
          literalChildren[node]!++;
        }
      }
      node = next;
    }
    append(endsWithHash ? hash : exact, node, entry, token);
    size++;
    changed();
  }

  /** Removes the entry of `token` from `lists[node]`, as a new list (a delivery may still read the old one). */
  function removeFrom(lists: Lists<S>, node: number, token: T): boolean {
    const list = lists[node];
    const tokens = list && tokensOf.get(list)!;
    const index = tokens ? tokens.indexOf(token) : -1;
    if (index < 0) return false;
    if (list!.length === 1) {
      lists[node] = undefined;
      return true;
    }
    const next = list!.filter((_, i) => i !== index);
    tokensOf.set(next, tokens!.filter((_, i) => i !== index));
    lists[node] = next;
    return true;
  }

  function remove(pattern: string, token: T): boolean {
    const parts = pattern.split('.');
    const endsWithHash = parts[parts.length - 1] === '#';
    // The nodes on the way down and the segment numbers that led to them (-1 for `+`), so
    // emptied nodes can be pruned: patterns made per request (RPC reply topics) must not leave
    // their nodes behind.
    const path: number[] = [ROOT];
    const numbers: number[] = [];
    for (let i = 0; i < parts.length - (endsWithHash ? 1 : 0); i++) {
      const wildcard = parts[i] === '+';
      const number = wildcard ? -1 : numberOf(parts[i]!);
      let next = -1;
      if (wildcard) next = plus[path[i]!]!;
      else if (number >= 0) next = findEdge(edges, path[i]!, number);
      if (next <= ROOT) return false;
      path.push(next);
      numbers.push(number);
    }
    if (!removeFrom(endsWithHash ? hash : exact, path[path.length - 1]!, token)) return false;
    size--;
    changed();
    for (let i = path.length - 1; i > 0 && isEmpty(path[i]!); i--) {
      const parent = path[i - 1]!;
      const number = numbers[i - 1]!;
      if (number < 0) plus[parent] = 0;
      else {
        removeEdge(edges, parent, number);
        releaseSegment(segments, number);
        literalChildren[parent]!--;
      }
      freeNodes.push(path[i]!);
    }
    return true;
  }

  function scan(subject: string): boolean {
    const length = subject.length;
    if (length >= segmentNumbers.length) segmentNumbers = new Int32Array(length + 1); // room for every segment
    let plain = length > 0 && length <= MAX_TOPIC_LENGTH;
    let start = 0;
    let segmentHash = EMPTY_HASH;
    let wholeHash = EMPTY_HASH;
    count = 0;
    // One pass: where the dots are, each segment's hash and number, the whole topic's hash, and
    // whether every character is allowed.
    for (let i = 0; i < length; i++) {
      const code = subject.charCodeAt(i);
      if (code === 46 /* . */) {
        if (i === start) plain = false;
        segmentNumbers[count++] = findSegment(segments, subject, start, i, segmentHash);
        wholeHash = hashStep(wholeHash, segmentHash);
        segmentHash = EMPTY_HASH;
        start = i + 1;
      } else {
        if (code > 127 || SEGMENT_CHARACTERS[code] === 0) plain = false;
        segmentHash = hashStep(segmentHash, code);
      }
    }
    if (start === length || count >= MAX_TOPIC_DEPTH) plain = false;
    segmentNumbers[count++] = findSegment(segments, subject, start, length, segmentHash);
    topicHash = hashStep(wholeHash, segmentHash);
    scanned = subject;
    return plain;
  }

  function match(subject: string): readonly (readonly S[])[] {
    if (subject === lastTopic) return lastResult;
    if (subject !== scanned) scan(subject);
    let result = cache.get(subject, topicHash);
    if (result === undefined) {
      result = walk(subject.charCodeAt(0) === 36 /* $ */);
      cache.offer(subject, topicHash, result);
    }
    lastTopic = subject;
    lastResult = result;
    return result;
  }

  /** `system`: MQTT rule, a pattern that starts with a wildcard does not reach `$`-topics. */
  function walk(system: boolean): readonly (readonly S[])[] {
    found = 0;
    if (!system && hash[ROOT] !== undefined) matched[found++] = hash[ROOT];
    const first = segmentNumbers[0]!;
    if (first >= 0) {
      const child = findEdge(edges, ROOT, first);
      if (child > ROOT) collect(child, 1);
    }
    if (!system && plus[ROOT] !== 0) collect(plus[ROOT]!, 1);
    // One array of the exact size: growing a fresh one push by push cost more.
    return found === 0 ? EMPTY : matched.slice(0, found);
  }

  /** Adds to `matched` the lists under `node` that match segments `index…count-1`. */
  function collect(node: number, index: number): void {
    const hashList = hash[node];
    if (hashList !== undefined) matched[found++] = hashList;
    if (index === count) {
      const exactList = exact[node];
      if (exactList !== undefined) matched[found++] = exactList;
      return;
    }
    const number = segmentNumbers[index]!;
    if (number >= 0 && literalChildren[node] !== 0) {
      const next = findEdge(edges, node, number);
      if (next > ROOT) collect(next, index + 1);
    }
    const wildcard = plus[node]!;
    if (wildcard !== 0) collect(wildcard, index + 1);
  }

  return {
    add,
    remove,
    match,
    scan,
    tokenOf: (list, index) => tokensOf.get(list)![index]!,
    get size() {
      return size;
    },
    get cachedTopics() {
      return cache.size;
    },
  };
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
