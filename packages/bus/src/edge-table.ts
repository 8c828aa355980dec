import { closeHole } from './linear-probing.ts';

/**
 * The literal edges of the topic trie, parent node + segment number -> child node, in one
 * open-addressed hash table for the whole trie. A table per node (or a Map per node) costs a
 * handful of scattered objects on every step of a walk; with thousands of nodes those are cache
 * misses, and they were most of a match. Here a step reads one slot of a typed array: the key is
 * two integers (segments are numbered by the segment dictionary), so no string is compared.
 *
 * Linear probing; deletion shifts later entries back, so there are no tombstones.
 */
export interface EdgeTable {
  /** Per slot: parent + 1 (0 marks an empty slot), segment number, child. */
  slots: Int32Array;
  mask: number;
  size: number;
}

const STRIDE = 3;
const MIN_CAPACITY = 16;

/** Creates an empty table. */
export function createEdgeTable(): EdgeTable {
  return { slots: new Int32Array(MIN_CAPACITY * STRIDE), mask: MIN_CAPACITY - 1, size: 0 };
}

// Spreads (parent, segment) pairs over the table: children of one parent must not cluster.
function home(parent: number, segment: number, mask: number): number {
  const mixed = Math.imul(segment ^ Math.imul(parent + 1, 0x9e3779b1), 0x85ebca6b);
  return (mixed ^ (mixed >>> 15)) & mask;
}

/** The child of `parent` under segment number `segment`, or -1. */
export function findEdge(table: EdgeTable, parent: number, segment: number): number {
  const { slots, mask } = table;
  const tag = parent + 1;
  for (let i = home(parent, segment, mask); ; i = (i + 1) & mask) {
    const at = i * STRIDE;
    const slotTag = slots[at]!;
    if (slotTag === 0) return -1;
    if (slotTag === tag && slots[at + 1] === segment) return slots[at + 2]!;
  }
}

/** Stores the edge `parent --segment--> child`; the edge must not be there yet. */
export function addEdge(table: EdgeTable, parent: number, segment: number, child: number): void {
  if ((table.size + 1) * 2 > table.mask + 1) resize(table, (table.mask + 1) * 2);
  const { slots, mask } = table;
  let i = home(parent, segment, mask);
  while (slots[i * STRIDE] !== 0) i = (i + 1) & mask;
  slots[i * STRIDE] = parent + 1;
  slots[i * STRIDE + 1] = segment;
  slots[i * STRIDE + 2] = child;
  table.size++;
}

/** Removes the edge from `parent` under segment number `segment`; returns false when there was none. */
export function removeEdge(table: EdgeTable, parent: number, segment: number): boolean {
  const { slots, mask } = table;
  let i = home(parent, segment, mask);
  for (;;) {
    const at = i * STRIDE;
    if (slots[at] === 0) return false;
    if (slots[at] === parent + 1 && slots[at + 1] === segment) break;
    i = (i + 1) & mask;
  }
  closeHole(slots, STRIDE, 0, mask, i, (j) => home(slots[j * STRIDE]! - 1, slots[j * STRIDE + 1]!, mask));
  table.size--;
  // Give memory back once most edges are gone (patterns made per request come and go).
  const capacity = table.mask + 1;
  if (table.size * 8 < capacity && capacity > MIN_CAPACITY) resize(table, capacity / 2);
  return true;
}

function resize(table: EdgeTable, capacity: number): void {
  const old = table.slots;
  table.slots = new Int32Array(capacity * STRIDE);
  table.mask = capacity - 1;
  table.size = 0;
  for (let at = 0; at < old.length; at += STRIDE) {
    if (old[at] !== 0) addEdge(table, old[at]! - 1, old[at + 1]!, old[at + 2]!);
  }
}
