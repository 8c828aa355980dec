import { addEdge, createEdgeTable, findEdge, removeEdge, type EdgeTable } from './edge-table.ts';
import {
  createSegmentDictionary,
  findSegment,
  readTopic,
  releaseSegment,
  retainSegment,
  type SegmentDictionary,
  type TopicReading,
} from './segment-dictionary.ts';
import {
  admits,
  cachedResult,
  clearCache,
  createTopicCache,
  hashCharacters,
  looksUp,
  storeResult,
  type TopicCache,
} from './topic-cache.ts';
import type { TopicMatcher } from './matcher.ts';
import { MAX_TOPIC_LENGTH } from './topic.ts';

/**
 * The topic trie behind {@link TopicMatcher} (see it for what each function promises): a trie of
 * pattern segments, so the cost of a match grows with the topic's depth and the number of wildcard
 * branches, not with the number of subscriptions, plus a bounded cache for repeated topics.
 */

type Lists<S> = Array<readonly S[] | undefined>;
type Result<S> = readonly (readonly S[])[];

/**
 * A matcher's state. The functions below read it as a record rather than closing over it: every
 * matcher in a tab (one per bus, and several buses may share one copy of the library) then runs
 * the same compiled code. Closures per matcher were compiled for the first matcher, and a second
 * one made V8 recompile them without its constants: ~10% slower matching. The bus calls these
 * functions directly; `createTopicMatcher` wraps them for everyone else.
 */
export interface TopicTrie<S, T = S> extends TopicReading {
  readonly cache: TopicCache<Result<S>>;
  // The trie, one array per field, indexed by node: a walk then touches a few dense arrays
  // instead of a scattered object (and its tables) per node.
  readonly segments: SegmentDictionary;
  readonly edges: EdgeTable;
  plus: Int32Array<ArrayBuffer>;
  literalChildren: Int32Array<ArrayBuffer>;
  /**
   * Per node, what it has ({@link HAS_HASH}, {@link HAS_EXACT}, {@link HAS_PLUS}, {@link HAS_LITERALS}):
   * a walk reads this one small array at each node and the others only where there is something.
   * Reading all four at every node was most of a walk's cache misses (~25 ns a routed topic).
   */
  shapes: Uint8Array<ArrayBuffer>;
  readonly exact: Lists<S>;
  readonly hash: Lists<S>;
  /** Per stored list (and snapshots still referenced): the tokens of its entries, same order. */
  readonly tokensOf: WeakMap<readonly S[], readonly T[]>;
  readonly freeNodes: number[];
  nodeCount: number;
  size: number;
  /**
   * The last topic matched and its answer (the first `lastCount` lists of `lastResult`): an app
   * publishing one topic over and over skips even the scan.
   */
  lastTopic: string | undefined;
  lastResult: Result<S>;
  lastCount: number;
  /**
   * The last topic scanned; the {@link TopicReading} fields hold what the scan found in it. Reused
   * because a match calls nothing outside this module and so never re-enters.
   */
  scanned: string | undefined;
  /**
   * Scratch for walk(): the lists found so far (the first `lastCount` of them, or of its count).
   * Replaced, not emptied, on every change: a delivery may still be reading it.
   */
  matched: Array<readonly S[]>;
  /** Scratch for walk(): the `+` branches still to visit, two integers each; room for every segment. */
  waiting: Int32Array;
}

const EMPTY: readonly never[] = Object.freeze([]);
// Node 0 is the root. It is never anyone's child, so 0 also means "no `+` child".
const ROOT = 0;
/** Not a node: no literal child. */
const NONE = -1;
// The bits of a node's shape.
/** It has the entries of a pattern ending in `#` there. */
const HAS_HASH = 1;
/** It has the entries of a pattern ending there. */
const HAS_EXACT = 2;
/** It has a `+` child. */
const HAS_PLUS = 4;
/** It has literal children. */
const HAS_LITERALS = 8;

/** Creates the state of an empty matcher that caches up to `cacheSize` topics. */
export function createTopicTrie<S, T = S>(cacheSize: number): TopicTrie<S, T> {
  return {
    cache: createTopicCache<Result<S>>(cacheSize),
    segments: createSegmentDictionary(),
    edges: createEdgeTable(),
    plus: new Int32Array(64),
    literalChildren: new Int32Array(64),
    shapes: new Uint8Array(64),
    exact: [undefined],
    hash: [undefined],
    tokensOf: new WeakMap(),
    freeNodes: [],
    nodeCount: 1,
    size: 0,
    lastTopic: undefined,
    lastResult: EMPTY,
    lastCount: 0,
    scanned: undefined,
    segmentNumbers: new Int32Array(MAX_TOPIC_LENGTH + 1),
    count: 0,
    stateHash: 0,
    matched: [],
    waiting: new Int32Array(2 * (MAX_TOPIC_LENGTH + 1)),
  };
}

/** {@link TopicMatcher.tokenOf}. */
export function tokenAt<S, T>(trie: TopicTrie<S, T>, list: readonly S[], index: number): T {
  return trie.tokensOf.get(list)![index]!;
}

function newNode<S, T>(trie: TopicTrie<S, T>): number {
  const node = trie.freeNodes.pop() ?? trie.nodeCount++;
  if (node >= trie.plus.length) {
    trie.plus = grown(trie.plus);
    trie.literalChildren = grown(trie.literalChildren);
    trie.shapes = grown(trie.shapes);
  }
  trie.plus[node] = 0;
  trie.literalChildren[node] = 0;
  trie.exact[node] = undefined;
  trie.hash[node] = undefined;
  trie.shapes[node] = 0;
  return node;
}

/** Brings `node`'s shape up to date after a change of its lists or children. */
function reshape<S, T>(trie: TopicTrie<S, T>, node: number): void {
  trie.shapes[node] =
    (trie.hash[node] !== undefined ? HAS_HASH : 0) |
    (trie.exact[node] !== undefined ? HAS_EXACT : 0) |
    (trie.plus[node] !== 0 ? HAS_PLUS : 0) |
    (trie.literalChildren[node] !== 0 ? HAS_LITERALS : 0);
}

function isEmpty<S, T>(trie: TopicTrie<S, T>, node: number): boolean {
  return trie.shapes[node] === 0;
}

function changed<S, T>(trie: TopicTrie<S, T>): void {
  trie.lastTopic = undefined;
  trie.lastResult = EMPTY;
  trie.lastCount = 0;
  trie.scanned = undefined; // its segment numbers may be stale now
  trie.matched = [];
  clearCache(trie.cache);
}

function literalChild<S, T>(trie: TopicTrie<S, T>, node: number, segment: string): number {
  const number = findSegment(trie.segments, segment);
  return number < 0 ? -1 : findEdge(trie.edges, node, number);
}

function append<S, T>(trie: TopicTrie<S, T>, lists: Lists<S>, node: number, entry: S, token: T): void {
  const list = lists[node];
  const next = list ? [...list, entry] : [entry];
  trie.tokensOf.set(next, list ? [...trie.tokensOf.get(list)!, token] : [token]);
  lists[node] = next;
}

/** {@link TopicMatcher.add}. */
export function addEntry<S, T>(trie: TopicTrie<S, T>, pattern: string, entry: S, token: T): void {
  const parts = pattern.split('.');
  const endsWithHash = parts[parts.length - 1] === '#';
  let node = ROOT;
  for (let i = 0; i < parts.length - (endsWithHash ? 1 : 0); i++) {
    const segment = parts[i]!;
    let next = segment === '+' ? trie.plus[node]! : literalChild(trie, node, segment);
    if (next <= ROOT) {
      next = newNode(trie);
      if (segment === '+') trie.plus[node] = next;
      else {
        addEdge(trie.edges, node, retainSegment(trie.segments, segment), next);
        trie.literalChildren[node]!++;
      }
      reshape(trie, node);
    }
    node = next;
  }
  append(trie, endsWithHash ? trie.hash : trie.exact, node, entry, token);
  reshape(trie, node);
  trie.size++;
  changed(trie);
}

/** Removes the entry of `token` from `lists[node]`, as a new list (a delivery may still read the old one). */
function removeFrom<S, T>(trie: TopicTrie<S, T>, lists: Lists<S>, node: number, token: T): boolean {
  const list = lists[node];
  const tokens = list && trie.tokensOf.get(list)!;
  const index = tokens ? tokens.indexOf(token) : -1;
  if (index < 0) return false;
  if (list!.length === 1) {
    lists[node] = undefined;
    return true;
  }
  const next = list!.filter((_, i) => i !== index);
  trie.tokensOf.set(
    next,
    tokens!.filter((_, i) => i !== index),
  );
  lists[node] = next;
  return true;
}

/** {@link TopicMatcher.remove}. */
export function removeEntry<S, T>(trie: TopicTrie<S, T>, pattern: string, token: T): boolean {
  const parts = pattern.split('.');
  const endsWithHash = parts[parts.length - 1] === '#';
  // The nodes on the way down and the segment numbers that led to them (-1 for `+`), so
  // emptied nodes can be pruned: patterns made per request (RPC reply topics) must not leave
  // their nodes behind.
  const path: number[] = [ROOT];
  const numbers: number[] = [];
  for (let i = 0; i < parts.length - (endsWithHash ? 1 : 0); i++) {
    const wildcard = parts[i] === '+';
    const number = wildcard ? -1 : findSegment(trie.segments, parts[i]!);
    let next = -1;
    if (wildcard) next = trie.plus[path[i]!]!;
    else if (number >= 0) next = findEdge(trie.edges, path[i]!, number);
    if (next <= ROOT) return false;
    path.push(next);
    numbers.push(number);
  }
  if (!removeFrom(trie, endsWithHash ? trie.hash : trie.exact, path[path.length - 1]!, token)) return false;
  reshape(trie, path[path.length - 1]!);
  trie.size--;
  changed(trie);
  for (let i = path.length - 1; i > 0 && isEmpty(trie, path[i]!); i--) {
    const parent = path[i - 1]!;
    const number = numbers[i - 1]!;
    if (number < 0) trie.plus[parent] = 0;
    else {
      removeEdge(trie.edges, parent, number);
      releaseSegment(trie.segments, number);
      trie.literalChildren[parent]!--;
    }
    reshape(trie, parent);
    trie.freeNodes.push(path[i]!);
  }
  return true;
}

/** {@link TopicMatcher.scan}. */
export function scanTopic<S, T>(trie: TopicTrie<S, T>, subject: string): boolean {
  // Room for every segment.
  if (subject.length >= trie.segmentNumbers.length) {
    trie.segmentNumbers = new Int32Array(subject.length + 1);
    trie.waiting = new Int32Array(2 * (subject.length + 1));
  }
  const plain = readTopic(trie.segments, subject, trie);
  trie.scanned = subject;
  return plain;
}

/** {@link TopicMatcher.match}: a snapshot of {@link matchLists}. */
export function matchTopic<S, T>(trie: TopicTrie<S, T>, subject: string): Result<S> {
  const lists = matchLists(trie, subject);
  return lists === trie.matched ? lists.slice(0, trie.lastCount) : lists;
}

/**
 * The lists matching `subject`: the first `trie.lastCount` of the answer. For the bus's delivery,
 * which reads them before anything else can match: the answer may be the walk's scratch array,
 * good until the next match or change. Copying it for every topic cost ~10% of a match.
 */
export function matchLists<S, T>(trie: TopicTrie<S, T>, subject: string): Result<S> {
  if (subject === trie.lastTopic) return trie.lastResult;
  if (subject !== trie.scanned) scanTopic(trie, subject);
  const { cache } = trie;
  const looking = looksUp(cache);
  const hash = looking ? cacheKey(trie, subject) : 0;
  let result = looking ? cachedResult(cache, subject, hash) : undefined;
  let count: number;
  if (result === undefined) {
    count = walk(trie, subject.charCodeAt(0) === 36 /* $ */);
    result = count === 0 ? EMPTY : trie.matched;
    if (looking && admits(cache, hash)) {
      // A snapshot: the scratch is overwritten by the next walk.
      result = result.slice(0, count);
      storeResult(cache, subject, hash, result);
    }
  } else {
    count = result.length;
  }
  trie.lastTopic = subject;
  trie.lastResult = result;
  trie.lastCount = count;
  return result;
}

/**
 * The scanned topic's key in the cache: the hash of its segments' states, unless a segment no
 * pattern names made it ambiguous (`orders.<id>.created` for every id alike); then the hash of its
 * characters, read again only here.
 */
function cacheKey<S, T>(trie: TopicTrie<S, T>, subject: string): number {
  const { segmentNumbers, count } = trie;
  for (let i = 0; i < count; i++) if (segmentNumbers[i]! < 0) return hashCharacters(subject);
  return trie.stateHash;
}

/**
 * Writes into `trie.matched` the lists matching the scanned topic and returns how many.
 * `system`: MQTT rule, a pattern that starts with a wildcard does not reach `$`-topics.
 *
 * Depth first, in one loop: at each node its `#` list, then (at the topic's end) its exact list,
 * else the literal child's subtree, then the `+` child's, which waits on a stack meanwhile. (A
 * recursive walk re-read the trie's fields on each of its ~5 calls per topic: ~10 ns more.)
 */
function walk<S, T>(trie: TopicTrie<S, T>, system: boolean): number {
  const { hash, exact, plus, shapes, edges, matched, waiting, segmentNumbers, count } = trie;
  let found = 0;
  // Pairs (node, index of the segment it reads next). Their indexes grow from the bottom of the
  // stack up, so it never holds more than one pair per segment.
  let waits = 0;
  const rootShape = shapes[ROOT]!;
  if (!system) {
    if ((rootShape & HAS_HASH) !== 0) matched[found++] = hash[ROOT]!;
    if ((rootShape & HAS_PLUS) !== 0) {
      waiting[waits++] = plus[ROOT]!;
      waiting[waits++] = 1;
    }
  }
  let node = childUnder(rootShape, edges, ROOT, segmentNumbers[0]!);
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
    node = childUnder(shape, edges, node, segmentNumbers[index]!);
    index++;
  }
}

/** The child of `node` under segment number `number` (-1: a segment no pattern names), or NONE. */
function childUnder(shape: number, edges: EdgeTable, node: number, number: number): number {
  return number >= 0 && (shape & HAS_LITERALS) !== 0 ? findEdge(edges, node, number) : NONE;
}

/** A copy of `array` (per-node data) twice as long. */
function grown<A extends Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(array: A): A {
  const bigger = new (array.constructor as new (length: number) => A)(array.length * 2);
  bigger.set(array);
  return bigger;
}
