/**
 * An open-addressed hash table of integer triples (tag, key, value) in one typed array: the
 * topic trie's literal edges (parent + 1, segment number, child) and the segment table's entries
 * (a tag of their own, the segment's hash, its number) share it. A table per node (or a Map per
 * node) cost a handful of scattered objects on every step of a walk; with thousands of nodes those
 * were cache misses, and most of a match. Here a step reads one slot: integers, no string compared.
 *
 * Linear probing; deletion shifts later entries back, so there are no tombstones.
 */
export interface IntTable {
  /** Three integers per slot: tag (0 marks an empty slot), key, value. */
  slots: Int32Array;
  mask: number;
  size: number;
}

const MIN_CAPACITY = 16;

/** Creates an empty table. */
export function createIntTable(): IntTable {
  return { slots: new Int32Array(3 * MIN_CAPACITY), mask: MIN_CAPACITY - 1, size: 0 };
}

/** The slot where probing for (tag, key) starts: pairs that differ in either must not cluster. */
export function homeOf(tag: number, key: number, mask: number): number {
  const mixed = Math.imul(key ^ Math.imul(tag, 0x9e3779b1), 0x85ebca6b);
  return (mixed ^ (mixed >>> 15)) & mask;
}

/** The value of the first triple stored under (tag, key), or -1. `tag` is not 0. */
export function findValue(table: IntTable, tag: number, key: number): number {
  const { slots, mask } = table;
  for (let i = homeOf(tag, key, mask); ; i = (i + 1) & mask) {
    const slotTag = slots[3 * i]!;
    if (slotTag === 0) return -1;
    if (slotTag === tag && slots[3 * i + 1] === key) return slots[3 * i + 2]!;
  }
}

/** Stores the triple (tag, key, value); `tag` is not 0. */
export function insert(table: IntTable, tag: number, key: number, value: number): void {
  if (2 * (table.size + 1) > table.mask + 1) resize(table, 2 * (table.mask + 1));
  const { slots, mask } = table;
  let i = homeOf(tag, key, mask);
  while (slots[3 * i] !== 0) i = (i + 1) & mask;
  slots[3 * i] = tag;
  slots[3 * i + 1] = key;
  slots[3 * i + 2] = value;
  table.size++;
}

/** Removes the triple (tag, key, value); false when it is not there. */
export function remove(table: IntTable, tag: number, key: number, value: number): boolean {
  const { slots, mask } = table;
  let hole = homeOf(tag, key, mask);
  for (
    ;
    slots[3 * hole] !== tag || slots[3 * hole + 1] !== key || slots[3 * hole + 2] !== value;
    hole = (hole + 1) & mask
  ) {
    if (slots[3 * hole] === 0) return false;
  }
  // Close the hole: an entry further along its probe run moves back into it, unless its home
  // lies cyclically in (hole, j], where it can still be found.
  for (let j = (hole + 1) & mask; slots[3 * j] !== 0; j = (j + 1) & mask) {
    const home = homeOf(slots[3 * j]!, slots[3 * j + 1]!, mask);
    if (hole <= j ? hole < home && home <= j : hole < home || home <= j) continue;
    slots[3 * hole] = slots[3 * j]!;
    slots[3 * hole + 1] = slots[3 * j + 1]!;
    slots[3 * hole + 2] = slots[3 * j + 2]!;
    hole = j;
  }
  slots[3 * hole] = 0;
  table.size--;
  // Give memory back once most entries are gone (patterns made per request come and go).
  if (8 * table.size < table.mask + 1 && table.mask + 1 > MIN_CAPACITY) resize(table, (table.mask + 1) / 2);
  return true;
}

function resize(table: IntTable, capacity: number): void {
  const old = table.slots;
  table.slots = new Int32Array(3 * capacity);
  table.mask = capacity - 1;
  table.size = 0;
  for (let at = 0; at < old.length; at += 3) if (old[at] !== 0) insert(table, old[at]!, old[at + 1]!, old[at + 2]!);
}
