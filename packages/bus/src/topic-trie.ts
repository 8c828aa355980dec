import { createIntTable, homeOf, type IntTable } from './int-table.ts';
import type { TopicMatcher } from './matcher.ts';
import { createTopicCache, type TopicCache } from './topic-cache.ts';
import { sameSegment, type TopicReading } from './topic-reading.ts';
import { MAX_TOPIC_DEPTH } from './topic.ts';

/**
 * The topic trie behind {@link TopicMatcher} (see it for what each function promises): a trie of
 * pattern segments, so the cost of a match grows with the topic's depth and the number of wildcard
 * branches, not with the number of subscriptions, plus a bounded cache for repeated topics. This
 * file holds its state; `trie-entries.ts` adds and removes entries, `topic-match.ts` answers topics.
 */

/**
 * A pattern's list: each entry followed by its token (`[entry, token, entry, token…]`). Delivery
 * reads the entries (the bus's handlers) without touching the tokens (its subscription records),
 * which are read only to remove an entry or to name its pattern. An entry removed while a
 * delivery reads the list is blanked to undefined in place, and taken out afterwards.
 */
export type Pairs<E, T> = Array<E | T | undefined>;
/** Per node, a pattern's list (or none). */
export type Lists<E, T> = Array<Pairs<E, T> | undefined>;
/** An answer: one list of pairs per matching pattern. */
export type Result<E, T> = readonly (readonly (E | T | undefined)[])[];

/**
 * A cached answer and what it depends on: the changes of patterns that start with the topic's
 * first segment (counted per root child, `first`; for a first segment no pattern starts with,
 * the creation of root children) and of patterns that start with a wildcard.
 */
export interface Cached<E, T> {
  readonly result: Result<E, T>;
  readonly first: number;
  readonly stamp: number;
  readonly wildcards: number;
  /** `listsAdded` when the answer was last found current: while it is the same, nothing changed. */
  checked: number;
}

/**
 * A matcher's state. The functions read it as a record rather than closing over it: every
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
export interface TopicTrie<E, T> extends TopicReading {
  readonly cache: TopicCache<Cached<E, T>>;
  /**
   * The literal edges: (parent + 1, the segment's key) -> child (see `TopicReading` for keys). A
   * walk reads one slot of a typed array per step; for a segment of more than 8 characters it
   * also compares the characters of the child found.
   */
  readonly edges: IntTable;
  /** Scratch: the key of a pattern's segment. */
  readonly key: Int32Array;
  // The nodes, one array per field, indexed by node: a walk touches a few dense arrays instead
  // of a scattered object (and its tables) per node.
  plus: Int32Array<ArrayBuffer>;
  literalChildren: Int32Array<ArrayBuffer>;
  parents: Int32Array<ArrayBuffer>;
  /** Per node reached by a literal segment, the segment's key (two integers), to find its edge. */
  keys: Int32Array<ArrayBuffer>;
  /**
   * Per node reached by a literal segment of more than 8 characters: the pattern that named it
   * first and where in it the segment starts, to compare characters with. The pattern's string is
   * kept by its subscription anyway, so a segment costs no string of its own.
   */
  readonly labels: Array<string | undefined>;
  labelStarts: Int32Array<ArrayBuffer>;
  /**
   * Per node, what it has ({@link HAS_HASH}, {@link HAS_EXACT}, {@link HAS_PLUS}, {@link HAS_LITERALS}):
   * a walk reads this one small array at each node and the others only where there is something.
   * Reading all four at every node was most of a walk's cache misses (~25 ns a routed topic).
   */
  shapes: Uint8Array<ArrayBuffer>;
  readonly exact: Lists<E, T>;
  readonly hash: Lists<E, T>;
  readonly freeNodes: number[];
  nodeCount: number;
  size: number;
  /**
   * What cached answers depend on (see {@link Cached}): per root child, changes of the lists of
   * patterns below it; then the root children made, and changes of the lists of patterns that
   * start with a wildcard. A pattern without wildcards changes the answer of one topic, which is
   * forgotten instead.
   */
  generations: Int32Array<ArrayBuffer>;
  rootChildrenMade: number;
  wildcardChanges: number;
  /** Lists made so far: every change that can make a cached answer stale makes one. */
  listsAdded: number;
  /** The root child the last walk or follow went through, or NONE. */
  first: number;
  /**
   * The last topic matched and its answer (the first `lastCount` lists of `lastResult`): the
   * bus's publish and its delivery ask about the same topic one after the other.
   */
  lastTopic: string | undefined;
  /** Whether `lastTopic` is plain. */
  lastPlain: boolean;
  lastResult: Result<E, T>;
  lastCount: number;
  /**
   * The last topic read (the {@link TopicReading} fields hold what was found in it), after the
   * cache missed it, and whether it was plain. Reused because a match calls nothing outside the
   * matcher and so never re-enters.
   */
  scanned: string | undefined;
  scannedPlain: boolean;
  /**
   * Scratch for the walk: the lists found so far (the first `lastCount` of them, or of its
   * count). Good until the next walk: the bus reads it before anything else is matched.
   */
  readonly matched: Array<Pairs<E, T>>;
  /** Scratch for the walk: the `+` branches still to visit, two integers each; room for every segment. */
  waiting: Int32Array;
}

/** The root. It is never anyone's child, so 0 also means "no `+` child". */
export const ROOT = 0;
/** Not a node: no such child. */
export const NONE = -1;
// The bits of a node's shape.
/** It has the entries of a pattern ending in `#` there. */
export const HAS_HASH = 1;
/** It has the entries of a pattern ending there. */
export const HAS_EXACT = 2;
/** It has a `+` child. */
export const HAS_PLUS = 4;
/** It has literal children. */
export const HAS_LITERALS = 8;

/** Creates the state of an empty matcher that caches up to `cacheSize` topics. */
export function createTopicTrie<E, T>(cacheSize: number): TopicTrie<E, T> {
  return {
    cache: createTopicCache<Cached<E, T>>(cacheSize),
    edges: createIntTable(),
    key: new Int32Array(2),
    plus: new Int32Array(16),
    literalChildren: new Int32Array(16),
    parents: new Int32Array(16),
    keys: new Int32Array(32),
    labels: [undefined],
    labelStarts: new Int32Array(16),
    shapes: new Uint8Array(16),
    exact: [undefined],
    hash: [undefined],
    freeNodes: [],
    nodeCount: 1,
    size: 0,
    generations: new Int32Array(16),
    rootChildrenMade: 0,
    wildcardChanges: 0,
    listsAdded: 0,
    first: NONE,
    lastTopic: undefined,
    lastPlain: false,
    lastResult: [],
    lastCount: 0,
    scanned: undefined,
    scannedPlain: false,
    segmentKeys: new Int32Array(2 * (MAX_TOPIC_DEPTH + 1)),
    segmentStarts: new Int32Array(MAX_TOPIC_DEPTH + 2),
    count: 0,
    matched: [],
    waiting: new Int32Array(2 * (MAX_TOPIC_DEPTH + 1)),
  };
}

/**
 * The literal child of `node` for the segment of `text` from `start` to `end`, whose key is
 * (`key0`, `key1`), or NONE.
 */
export function childOf<E, T>(
  trie: TopicTrie<E, T>,
  node: number,
  key0: number,
  key1: number,
  text: string,
  start: number,
  end: number,
): number {
  const { slots, mask } = trie.edges;
  const tag = node + 1;
  for (let i = homeOf(tag, key0, key1, mask); ; i = (i + 1) & mask) {
    const at = 4 * i;
    const slotTag = slots[at]!;
    if (slotTag === 0) return NONE;
    if (slotTag === tag && slots[at + 1] === key0 && slots[at + 2] === key1) {
      const child = slots[at + 3]!;
      // A short segment is its own key; a long one is told from others of its hash by its characters.
      if (key1 >= 0 || sameSegment(trie.labels[child]!, trie.labelStarts[child]!, text, start, end)) return child;
    }
  }
}

/** A node for a child of `parent`, fresh or reused, with nothing in it yet. */
export function newNode<E, T>(trie: TopicTrie<E, T>, parent: number): number {
  const node = trie.freeNodes.pop() ?? trie.nodeCount++;
  if (node >= trie.plus.length) {
    trie.plus = grown(trie.plus);
    trie.literalChildren = grown(trie.literalChildren);
    trie.parents = grown(trie.parents);
    trie.keys = grown(trie.keys);
    trie.labelStarts = grown(trie.labelStarts);
    trie.generations = grown(trie.generations);
    trie.shapes = grown(trie.shapes);
  }
  trie.plus[node] = 0;
  trie.literalChildren[node] = 0;
  trie.parents[node] = parent;
  trie.labels[node] = undefined;
  trie.exact[node] = undefined;
  trie.hash[node] = undefined;
  trie.shapes[node] = 0;
  if (parent === ROOT) trie.rootChildrenMade++;
  return node;
}

/** Brings `node`'s shape up to date after a change of its lists or children. */
export function reshape<E, T>(trie: TopicTrie<E, T>, node: number): void {
  trie.shapes[node] =
    (trie.hash[node] !== undefined ? HAS_HASH : 0) |
    (trie.exact[node] !== undefined ? HAS_EXACT : 0) |
    (trie.plus[node] !== 0 ? HAS_PLUS : 0) |
    (trie.literalChildren[node] !== 0 ? HAS_LITERALS : 0);
}

/** A copy of `array` (per-node data) twice as long. */
function grown<A extends Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(array: A): A {
  const bigger = new (array.constructor as new (length: number) => A)(array.length * 2);
  bigger.set(array);
  return bigger;
}
