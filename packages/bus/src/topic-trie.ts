import { createIntTable, findValue, insert, remove, type IntTable } from './int-table.ts';
import {
  createSegmentTable,
  findSegment,
  readTopic,
  releaseSegment,
  retainSegment,
  type SegmentTable,
  type TopicReading,
} from './segment-table.ts';
import { cachedResult, createTopicCache, forgetTopic, looksUp, storeResult, type TopicCache } from './topic-cache.ts';
import type { TopicMatcher } from './matcher.ts';
import { MAX_TOPIC_DEPTH } from './topic.ts';

/**
 * The topic trie behind {@link TopicMatcher} (see it for what each function promises): a trie of
 * pattern segments, so the cost of a match grows with the topic's depth and the number of wildcard
 * branches, not with the number of subscriptions, plus a bounded cache for repeated topics.
 */

type Lists<S> = Array<S[] | undefined>;
type Result<S> = readonly (readonly S[])[];

/**
 * A cached answer and what it depends on: the changes of patterns that start with the topic's
 * first segment (counted per root child, `first`; for a first segment no pattern starts with,
 * the creation of root children) and of patterns that start with a wildcard.
 */
interface Cached<S> {
  readonly result: Result<S>;
  readonly first: number;
  readonly stamp: number;
  readonly wildcards: number;
}

/**
 * A matcher's state. The functions below read it as a record rather than closing over it: every
 * matcher in a tab (one per bus, and several buses may share one copy of the library) then runs
 * the same compiled code. Closures per matcher were compiled for the first matcher, and a second
 * one made V8 recompile them without its constants: ~10% slower matching. The bus calls these
 * functions directly; `createTopicMatcher` wraps them for everyone else.
 *
 * A pattern's entries are one array, changed in place: adding an entry to a pattern costs a
 * push, removing one a search from the end, however many entries the pattern holds, and what a
 * match or the cache handed out stays right. So nothing may change a list while a delivery
 * reads it: the bus holds changes made during a delivery until it ends.
 */
export interface TopicTrie<S> extends TopicReading {
  readonly cache: TopicCache<Cached<S>>;
  // The trie, one array per field, indexed by node: a walk then touches a few dense arrays
  // instead of a scattered object (and its tables) per node.
  readonly segments: SegmentTable;
  /** The literal edges, (parent + 1, segment number, child); also holds the segments' entries. */
  readonly edges: IntTable;
  plus: Int32Array<ArrayBuffer>;
  literalChildren: Int32Array<ArrayBuffer>;
  /** Per node, its parent, and the number of the segment that leads there from it (-1: `+`). */
  parents: Int32Array<ArrayBuffer>;
  via: Int32Array<ArrayBuffer>;
  /**
   * What cached answers depend on (see {@link Cached}): per root child, changes of the lists of
   * patterns below it; then the root children made, and changes of the lists of patterns that
   * start with a wildcard. A pattern without wildcards changes the answer of one topic, which is
   * forgotten instead.
   */
  generations: Int32Array<ArrayBuffer>;
  rootChildrenMade: number;
  wildcardChanges: number;
  /** The root child the last walk or follow went through, or NONE. */
  first: number;
  /**
   * Per node, what it has ({@link HAS_HASH}, {@link HAS_EXACT}, {@link HAS_PLUS}, {@link HAS_LITERALS}):
   * a walk reads this one small array at each node and the others only where there is something.
   * Reading all four at every node was most of a walk's cache misses (~25 ns a routed topic).
   */
  shapes: Uint8Array<ArrayBuffer>;
  readonly exact: Lists<S>;
  readonly hash: Lists<S>;
  /**
   * The node of each pattern that has a list: a pattern that gains or loses entries again (many
   * handlers on one pattern, components that come and go) skips the walk and the check.
   */
  readonly listed: Map<string, number>;
  readonly freeNodes: number[];
  nodeCount: number;
  size: number;
  /**
   * The last topic matched and its answer (the first `lastCount` lists of `lastResult`): the
   * bus's publish and its delivery ask about the same topic one after the other.
   */
  lastTopic: string | undefined;
  /** Whether `lastTopic` is plain. */
  lastPlain: boolean;
  lastResult: Result<S>;
  lastCount: number;
  /**
   * The last topic read (the {@link TopicReading} fields hold what was found in it), after the
   * cache missed it, and whether it was plain. Reused because a match calls nothing outside this
   * module and so never re-enters.
   */
  scanned: string | undefined;
  scannedPlain: boolean;
  /**
   * Scratch for walk(): the lists found so far (the first `lastCount` of them, or of its count).
   * Good until the next walk: the bus reads it before anything else is matched.
   */
  readonly matched: Array<readonly S[]>;
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
export function createTopicTrie<S>(cacheSize: number): TopicTrie<S> {
  const edges = createIntTable();
  return {
    cache: createTopicCache<Cached<S>>(cacheSize),
    segments: createSegmentTable(edges),
    edges,
    plus: new Int32Array(16),
    literalChildren: new Int32Array(16),
    parents: new Int32Array(16),
    via: new Int32Array(16),
    generations: new Int32Array(16),
    rootChildrenMade: 0,
    wildcardChanges: 0,
    first: NONE,
    shapes: new Uint8Array(16),
    exact: [undefined],
    hash: [undefined],
    listed: new Map(),
    freeNodes: [],
    nodeCount: 1,
    size: 0,
    lastTopic: undefined,
    lastPlain: false,
    lastResult: EMPTY,
    lastCount: 0,
    scanned: undefined,
    scannedPlain: false,
    segmentNumbers: new Int32Array(MAX_TOPIC_DEPTH + 1),
    count: 0,
    matched: [],
    waiting: new Int32Array(2 * (MAX_TOPIC_DEPTH + 1)),
  };
}

function newNode<S>(trie: TopicTrie<S>, parent: number, number: number): number {
  const node = trie.freeNodes.pop() ?? trie.nodeCount++;
  if (node >= trie.plus.length) {
    trie.plus = grown(trie.plus);
    trie.literalChildren = grown(trie.literalChildren);
    trie.parents = grown(trie.parents);
    trie.via = grown(trie.via);
    trie.generations = grown(trie.generations);
    trie.shapes = grown(trie.shapes);
  }
  trie.plus[node] = 0;
  trie.literalChildren[node] = 0;
  trie.parents[node] = parent;
  trie.via[node] = number;
  if (parent === ROOT) trie.rootChildrenMade++;
  trie.exact[node] = undefined;
  trie.hash[node] = undefined;
  trie.shapes[node] = 0;
  return node;
}

/** Brings `node`'s shape up to date after a change of its lists or children. */
function reshape<S>(trie: TopicTrie<S>, node: number): void {
  trie.shapes[node] =
    (trie.hash[node] !== undefined ? HAS_HASH : 0) |
    (trie.exact[node] !== undefined ? HAS_EXACT : 0) |
    (trie.plus[node] !== 0 ? HAS_PLUS : 0) |
    (trie.literalChildren[node] !== 0 ? HAS_LITERALS : 0);
}

/**
 * A pattern gained its list: the answers of the topics it matches change. An exact pattern
 * matches one topic; a wildcard, those that start with its first segment, or any topic.
 */
function listAdded<S>(trie: TopicTrie<S>, pattern: string): void {
  forgetLast(trie);
  if (!endsWithHash(pattern) && !pattern.includes('+')) forgetTopic(trie.cache, pattern);
  else if (trie.first === NONE) trie.wildcardChanges++;
  else trie.generations[trie.first]!++;
}

/**
 * What a change of the trie leaves stale besides cached answers. (A list that empties need not
 * make any answer stale: one that still holds it delivers nothing from it.)
 */
function forgetLast<S>(trie: TopicTrie<S>): void {
  trie.lastTopic = undefined;
  trie.scanned = undefined; // its segment numbers may be stale now
}

/**
 * Follows a checked `pattern` from the root, segment by segment (a trailing `#` names no node),
 * making the nodes that are missing; returns the last node.
 */
function follow<S>(trie: TopicTrie<S>, pattern: string): number {
  const { segments } = trie;
  const length = pattern.length;
  let node = ROOT;
  trie.first = NONE;
  for (let start = 0; start < length; ) {
    let end = start;
    let hash = 0x811c9dc5 | 0; // FNV-1a, as the segment table hashes
    for (; end < length; end++) {
      const code = pattern.charCodeAt(end);
      if (code === 46 /* . */) break;
      hash = Math.imul(hash ^ code, 0x01000193);
    }
    const single = end - start === 1 ? pattern.charCodeAt(start) : 0;
    if (single === 35 /* # */) break;
    let number = -1;
    let next: number;
    if (single === 43 /* + */) next = trie.plus[node]!;
    else {
      number = findSegment(segments, pattern, start, end, hash);
      next = number < 0 ? NONE : findValue(trie.edges, node + 1, number);
    }
    if (next <= ROOT) {
      if (single !== 43) number = retainSegment(segments, pattern, start, end, hash);
      next = newNode(trie, node, number);
      if (single === 43) trie.plus[node] = next;
      else {
        insert(trie.edges, node + 1, number, next);
        trie.literalChildren[node]!++;
      }
      reshape(trie, node);
    }
    if (node === ROOT && single !== 43) trie.first = next;
    node = next;
    start = end + 1;
  }
  return node;
}

function endsWithHash(pattern: string): boolean {
  return pattern.charCodeAt(pattern.length - 1) === 35 /* # */;
}

function listsOf<S>(trie: TopicTrie<S>, pattern: string): Lists<S> {
  return endsWithHash(pattern) ? trie.hash : trie.exact;
}

/**
 * {@link TopicMatcher.add}, for a pattern already checked; returns the node whose list the entry
 * joined (its owner may keep it, to remove the entry later without a walk).
 */
export function addEntry<S>(trie: TopicTrie<S>, pattern: string, entry: S): number {
  const lists = listsOf(trie, pattern);
  let node = trie.listed.get(pattern);
  trie.size++;
  if (node !== undefined) {
    lists[node]!.push(entry);
    return node;
  }
  node = follow(trie, pattern);
  lists[node] = [entry]; // exactly one slot: most patterns have one subscriber
  trie.listed.set(pattern, node);
  reshape(trie, node);
  listAdded(trie, pattern);
  return node;
}

/** The node of `pattern`'s list (see {@link addEntry}), or NONE when no entry has that pattern. */
export function nodeOf<S>(trie: TopicTrie<S>, pattern: unknown): number {
  return trie.listed.get(pattern as string) ?? NONE;
}

/** The entries of `pattern` at its `node` (see {@link nodeOf}); do not change them. */
export function entriesAt<S>(trie: TopicTrie<S>, pattern: string, node: number): readonly S[] {
  return listsOf(trie, pattern)[node]!;
}

/**
 * Removes `entry` from the list of `pattern` at `node` (the last occurrence: the entries removed
 * soonest are mostly the newest); once the list is empty, prunes the nodes no pattern needs
 * anymore, so patterns made per request (RPC reply topics) do not leave them behind. False when
 * the entry was not there.
 */
export function removeEntry<S>(trie: TopicTrie<S>, pattern: string, entry: S, node: number): boolean {
  const lists = listsOf(trie, pattern);
  const list = lists[node]!;
  const index = list.lastIndexOf(entry);
  if (index < 0) return false;
  if (index === list.length - 1) list.pop();
  else list.splice(index, 1);
  trie.size--;
  if (list.length > 0) return true;
  lists[node] = undefined;
  trie.listed.delete(pattern);
  reshape(trie, node);
  forgetLast(trie);
  for (let child = node; child !== ROOT && trie.shapes[child] === 0; ) {
    const parent = trie.parents[child]!;
    const number = trie.via[child]!;
    if (number < 0) trie.plus[parent] = 0;
    else {
      remove(trie.edges, parent + 1, number, child);
      releaseSegment(trie.segments, number);
      trie.literalChildren[parent]!--;
    }
    reshape(trie, parent);
    // Answers cached under it must not pass for those of the node that reuses its number.
    trie.generations[child]!++;
    trie.freeNodes.push(child);
    child = parent;
  }
  return true;
}

/** How many topics have a cached answer that is still current. */
export function cachedTopicCount<S>(trie: TopicTrie<S>): number {
  let count = 0;
  for (const topic of trie.cache.entries.keys()) if (isCurrent(trie, trie.cache.entries.get(topic)!)) count++;
  return count;
}

/** Calls `visit` with every entry, pattern by pattern. */
export function forEachEntry<S>(trie: TopicTrie<S>, visit: (entry: S) => void): void {
  for (const lists of [trie.exact, trie.hash]) for (const list of lists) list?.forEach(visit);
}

/** {@link TopicMatcher.scan}. */
export function scanTopic<S>(trie: TopicTrie<S>, subject: string): boolean {
  // Room for every segment.
  if (subject.length >= trie.segmentNumbers.length) {
    trie.segmentNumbers = new Int32Array(subject.length + 1);
    trie.waiting = new Int32Array(2 * (subject.length + 1));
  }
  const plain = readTopic(trie.segments, subject, trie);
  trie.scanned = subject;
  trie.scannedPlain = plain;
  return plain;
}

/**
 * Whether `subject` is a plain topic known to the cache, or the last one matched (then it is the
 * next {@link matchLists}' answer, without a second lookup). False: read it to know.
 */
export function isKnownTopic<S>(trie: TopicTrie<S>, subject: string): boolean {
  if (subject === trie.lastTopic) return trie.lastPlain;
  const result = lookUp(trie, subject);
  if (result === undefined) return false;
  remember(trie, subject, result, result.length, true);
  return true;
}

/** The cached answer for `subject`, unless the cache rests or a change made it stale. */
function lookUp<S>(trie: TopicTrie<S>, subject: string): Result<S> | undefined {
  const { cache } = trie;
  const cached = looksUp(cache) ? cachedResult(cache, subject) : undefined;
  return cached !== undefined && isCurrent(trie, cached) ? cached.result : undefined;
}

function isCurrent<S>(trie: TopicTrie<S>, cached: Cached<S>): boolean {
  const stamp = cached.first === NONE ? trie.rootChildrenMade : trie.generations[cached.first];
  return cached.stamp === stamp && cached.wildcards === trie.wildcardChanges;
}

function remember<S>(trie: TopicTrie<S>, subject: string, result: Result<S>, count: number, plain: boolean): void {
  trie.lastTopic = subject;
  trie.lastPlain = plain;
  trie.lastResult = result;
  trie.lastCount = count;
}

/** {@link TopicMatcher.match}: the lists of {@link matchLists}, in an array of their own. */
export function matchTopic<S>(trie: TopicTrie<S>, subject: string): Result<S> {
  const lists = matchLists(trie, subject);
  return lists === trie.matched ? lists.slice(0, trie.lastCount) : lists;
}

/**
 * The lists matching `subject`: the first `trie.lastCount` of the answer. For the bus's delivery,
 * which reads them before anything else can match: the answer may be the walk's scratch array,
 * good until the next walk. Copying it for every topic cost ~10% of a match.
 */
export function matchLists<S>(trie: TopicTrie<S>, subject: string): Result<S> {
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
  const count = walk(trie, subject.charCodeAt(0) === 36 /* $ */);
  let result: Result<S> = count === 0 ? EMPTY : trie.matched;
  // Only plain topics are kept, so that a hit also tells the bus's publish that a topic is valid.
  if (trie.scannedPlain && cache.capacity > 0 && cache.resting === 0) {
    result = result.slice(0, count); // the scratch is overwritten by the next walk
    const { first } = trie;
    const stamp = first === NONE ? trie.rootChildrenMade : trie.generations[first]!;
    storeResult(cache, subject, { result, first, stamp, wildcards: trie.wildcardChanges });
  }
  remember(trie, subject, result, count, trie.scannedPlain);
  return result;
}

/**
 * Writes into `trie.matched` the lists matching the scanned topic and returns how many.
 * `system`: MQTT rule, a pattern that starts with a wildcard does not reach `$`-topics.
 *
 * Depth first, in one loop: at each node its `#` list, then (at the topic's end) its exact list,
 * else the literal child's subtree, then the `+` child's, which waits on a stack meanwhile. (A
 * recursive walk re-read the trie's fields on each of its ~5 calls per topic: ~10 ns more.)
 */
function walk<S>(trie: TopicTrie<S>, system: boolean): number {
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
    node = childUnder(shape, edges, node, segmentNumbers[index]!);
    index++;
  }
}

/** The child of `node` under segment number `number` (-1: a segment no pattern names), or NONE. */
function childUnder(shape: number, edges: IntTable, node: number, number: number): number {
  return number >= 0 && (shape & HAS_LITERALS) !== 0 ? findValue(edges, node + 1, number) : NONE;
}

/** A copy of `array` (per-node data) twice as long. */
function grown<A extends Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(array: A): A {
  const bigger = new (array.constructor as new (length: number) => A)(array.length * 2);
  bigger.set(array);
  return bigger;
}
