/**
 * The literal edges of the topic trie, parent node + segment -> child node, in one open-addressed
 * hash table for the whole trie. A table per node (or a Map per node) costs a handful of
 * scattered objects on every step of a walk; with thousands of nodes those are cache misses, and
 * they were most of a match. Here a step reads one slot of a typed array and the key it verifies.
 *
 * Segments are looked up by a slice of the topic (`start` to `end`) and the slice's hash, so a
 * match never cuts the topic into strings. Linear probing; deletion shifts later entries back, so
 * there are no tombstones.
 */
export interface EdgeTable {
  /** Per slot: parent + 1 (0 marks an empty slot), segment hash, child. */
  slots: Int32Array;
  /** Per slot: the segment, to tell apart segments whose hashes collide. */
  keys: Array<string | undefined>;
  mask: number;
  size: number;
}

const STRIDE = 3;
const MIN_CAPACITY = 16;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash of an empty segment; a segment's hash is built from it with {@link hashStep}. */
export const EMPTY_HASH: number = FNV_OFFSET;

/** One step of FNV-1a, for callers that hash while they scan a topic for dots. */
export function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, FNV_PRIME);
}

/** FNV-1a over the characters of `text` from `start` to `end`. */
export function hashSegment(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Creates an empty table. */
export function createEdgeTable(): EdgeTable {
  return {
    slots: new Int32Array(MIN_CAPACITY * STRIDE),
    keys: new Array<string | undefined>(MIN_CAPACITY).fill(undefined),
    mask: MIN_CAPACITY - 1,
    size: 0,
  };
}

// Spreads (parent, segment) pairs over the table: children of one parent must not cluster.
function home(parent: number, hash: number, mask: number): number {
  const mixed = Math.imul(hash ^ Math.imul(parent + 1, 0x9e3779b1), 0x85ebca6b);
  return (mixed ^ (mixed >>> 15)) & mask;
}

/** The child of `parent` under the segment `text.slice(start, end)` (whose hash is `hash`), or -1. */
export function findEdge(table: EdgeTable, parent: number, text: string, start: number, end: number, hash: number): number {
  const { slots, keys, mask } = table;
  const tag = parent + 1;
  for (let i = home(parent, hash, mask); ; i = (i + 1) & mask) {
    const at = i * STRIDE;
    const slotTag = slots[at]!;
    if (slotTag === 0) return -1;
    if (slotTag === tag && slots[at + 1] === hash && sameSlice(keys[i]!, text, start, end)) return slots[at + 2]!;
  }
}

// A loop the compiler inlines; `startsWith(key, start)` was a builtin call per lookup.
function sameSlice(key: string, text: string, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** Stores the edge `parent --segment--> child`; the segment must not be there yet. */
export function addEdge(table: EdgeTable, parent: number, segment: string, child: number): void {
  if ((table.size + 1) * 2 > table.keys.length) resize(table, table.keys.length * 2);
  const hash = hashSegment(segment, 0, segment.length);
  const { slots, mask } = table;
  let i = home(parent, hash, mask);
  while (slots[i * STRIDE] !== 0) i = (i + 1) & mask;
  slots[i * STRIDE] = parent + 1;
  slots[i * STRIDE + 1] = hash;
  slots[i * STRIDE + 2] = child;
  table.keys[i] = segment;
  table.size++;
}

/** Removes the edge from `parent` under `segment`; returns false when there was none. */
export function removeEdge(table: EdgeTable, parent: number, segment: string): boolean {
  const { slots, keys, mask } = table;
  const hash = hashSegment(segment, 0, segment.length);
  let i = home(parent, hash, mask);
  for (;;) {
    const at = i * STRIDE;
    if (slots[at] === 0) return false;
    if (slots[at] === parent + 1 && slots[at + 1] === hash && keys[i] === segment) break;
    i = (i + 1) & mask;
  }
  // Shift back the entries of the probe run after the hole that would no longer be found.
  for (let j = (i + 1) & mask; slots[j * STRIDE] !== 0; j = (j + 1) & mask) {
    const wanted = home(slots[j * STRIDE]! - 1, slots[j * STRIDE + 1]!, mask);
    // Move j into the hole at i unless its home lies cyclically in (i, j].
    const stays = i <= j ? i < wanted && wanted <= j : i < wanted || wanted <= j;
    if (stays) continue;
    slots.copyWithin(i * STRIDE, j * STRIDE, j * STRIDE + STRIDE);
    keys[i] = keys[j];
    i = j;
  }
  slots.fill(0, i * STRIDE, i * STRIDE + STRIDE);
  keys[i] = undefined;
  table.size--;
  // Give memory back once most edges are gone (patterns made per request come and go).
  if (table.size * 8 < keys.length && keys.length > MIN_CAPACITY) resize(table, keys.length / 2);
  return true;
}

function resize(table: EdgeTable, capacity: number): void {
  const { slots, keys } = table;
  table.slots = new Int32Array(capacity * STRIDE);
  table.keys = new Array<string | undefined>(capacity).fill(undefined);
  table.mask = capacity - 1;
  table.size = 0;
  for (let i = 0; i < keys.length; i++) {
    if (slots[i * STRIDE] !== 0) addEdge(table, slots[i * STRIDE]! - 1, keys[i]!, slots[i * STRIDE + 2]!);
  }
}
