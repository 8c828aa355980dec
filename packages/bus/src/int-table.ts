/**
 * The topic trie's literal edges in one open-addressed hash table of integers: a parent's tag
 * (parent + 1) and a segment's two-integer key lead to the child. A table per node (or a Map per
 * node) cost a handful of scattered objects on every step of a walk; with thousands of nodes those
 * were cache misses, and most of a match. Here a step reads one slot of a typed array.
 *
 * Linear probing; deletion shifts later entries back, so there are no tombstones.
 */
export interface IntTable {
  /** Four integers per slot: tag (0 marks an empty slot), the key's two integers, the value. */
  slots: Int32Array;
  mask: number;
  size: number;
}

const MIN_CAPACITY = 16;

/** Creates an empty table. */
export function createIntTable(): IntTable {
  return { slots: new Int32Array(4 * MIN_CAPACITY), mask: MIN_CAPACITY - 1, size: 0 };
}

/** The slot where probing for (tag, key0, key1) starts: entries that differ in any must not cluster. */
export function homeOf(tag: number, key0: number, key1: number, mask: number): number {
  const mixed = Math.imul(key0 ^ Math.imul(key1, 0x85ebca6b) ^ Math.imul(tag, 0x9e3779b1), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 15)) & mask;
}

/** Stores (tag, key0, key1) -> value; `tag` is not 0. */
export function insert(table: IntTable, tag: number, key0: number, key1: number, value: number): void {
  if (2 * (table.size + 1) > table.mask + 1) resize(table, 2 * (table.mask + 1));
  const { slots, mask } = table;
  let i = homeOf(tag, key0, key1, mask);
  while (slots[4 * i] !== 0) i = (i + 1) & mask;
  slots[4 * i] = tag;
  slots[4 * i + 1] = key0;
  slots[4 * i + 2] = key1;
  slots[4 * i + 3] = value;
  table.size++;
}

/** Removes (tag, key0, key1) -> value; false when it is not there. */
export function remove(table: IntTable, tag: number, key0: number, key1: number, value: number): boolean {
  const { slots, mask } = table;
  let hole = homeOf(tag, key0, key1, mask);
  for (; ; hole = (hole + 1) & mask) {
    const at = 4 * hole;
    if (slots[at] === 0) return false;
    if (slots[at] === tag && slots[at + 1] === key0 && slots[at + 2] === key1 && slots[at + 3] === value) break;
  }
  // Close the hole: an entry further along its probe run moves back into it, unless its home
  // lies cyclically in (hole, j], where it can still be found.
  for (let j = (hole + 1) & mask; slots[4 * j] !== 0; j = (j + 1) & mask) {
    const home = homeOf(slots[4 * j]!, slots[4 * j + 1]!, slots[4 * j + 2]!, mask);
    if (hole <= j ? hole < home && home <= j : hole < home || home <= j) continue;
    for (let k = 0; k < 4; k++) slots[4 * hole + k] = slots[4 * j + k]!;
    hole = j;
  }
  slots[4 * hole] = 0;
  table.size--;
  // Give memory back once most entries are gone (patterns made per request come and go).
  if (8 * table.size < table.mask + 1 && table.mask + 1 > MIN_CAPACITY) resize(table, (table.mask + 1) / 2);
  return true;
}

function resize(table: IntTable, capacity: number): void {
  const old = table.slots;
  table.slots = new Int32Array(4 * capacity);
  table.mask = capacity - 1;
  table.size = 0;
  for (let at = 0; at < old.length; at += 4) {
    if (old[at] !== 0) insert(table, old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!);
  }
}
