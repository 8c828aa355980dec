/**
 * The children of a trie node, keyed by segment, looked up by a slice of the topic (`start` to
 * `end`) and that slice's hash. A `Map<string, …>` needed the segment as a string of its own:
 * cutting the topic into strings and hashing them cost more than the rest of a match.
 * Open addressing with linear probing; deletion shifts later entries back, so no tombstones.
 */
export interface SegmentTable<V> {
  keys: Array<string | undefined>;
  hashes: Int32Array;
  values: Array<V | undefined>;
  size: number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the characters of `text` from `start` to `end`: the hash tables are keyed by. */
export function hashSegment(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** The value of {@link hashSegment} for an empty slice; hashes are built from it char by char. */
export const EMPTY_HASH: number = FNV_OFFSET;

/** One step of {@link hashSegment}, for callers that hash while scanning for dots. */
export function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, FNV_PRIME);
}

/** Creates an empty table. */
export function createSegmentTable<V>(): SegmentTable<V> {
  return { keys: new Array<string | undefined>(8).fill(undefined), hashes: new Int32Array(8), values: new Array<V | undefined>(8).fill(undefined), size: 0 };
}

/** The value stored for `text.slice(start, end)`, whose hash is `hash`. */
export function getSegment<V>(table: SegmentTable<V>, text: string, start: number, end: number, hash: number): V | undefined {
  const { keys, hashes } = table;
  const mask = keys.length - 1;
  const length = end - start;
  for (let i = hash & mask; ; i = (i + 1) & mask) {
    const key = keys[i];
    if (key === undefined) return undefined;
    if (hashes[i] === hash && key.length === length && sameChars(key, text, start)) return table.values[i];
  }
}

// A loop the compiler inlines; `startsWith(key, start)` was a builtin call per lookup.
function sameChars(key: string, text: string, start: number): boolean {
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** Stores `value` under `key` (a whole segment), replacing what was there. */
export function setSegment<V>(table: SegmentTable<V>, key: string, value: V): void {
  if ((table.size + 1) * 2 > table.keys.length) grow(table);
  const hash = hashSegment(key, 0, key.length);
  const { keys } = table;
  const mask = keys.length - 1;
  let i = hash & mask;
  while (keys[i] !== undefined && keys[i] !== key) i = (i + 1) & mask;
  if (keys[i] === undefined) table.size++;
  keys[i] = key;
  table.hashes[i] = hash;
  table.values[i] = value;
}

/** Removes `key`; returns false when it was not there. */
export function deleteSegment<V>(table: SegmentTable<V>, key: string): boolean {
  const { keys, hashes, values } = table;
  const mask = keys.length - 1;
  let i = hashSegment(key, 0, key.length) & mask;
  while (keys[i] !== key) {
    if (keys[i] === undefined) return false;
    i = (i + 1) & mask;
  }
  // Shift back the entries of the probe run after the hole that would no longer be found.
  for (let j = (i + 1) & mask; keys[j] !== undefined; j = (j + 1) & mask) {
    const home = hashes[j]! & mask;
    // Move j into the hole at i unless its home lies cyclically in (i, j].
    const stays = i <= j ? i < home && home <= j : i < home || home <= j;
    if (stays) continue;
    keys[i] = keys[j];
    hashes[i] = hashes[j]!;
    values[i] = values[j];
    i = j;
  }
  keys[i] = undefined;
  values[i] = undefined;
  table.size--;
  return true;
}

function grow<V>(table: SegmentTable<V>): void {
  const { keys, values } = table;
  const capacity = keys.length * 2;
  table.keys = new Array<string | undefined>(capacity).fill(undefined);
  table.hashes = new Int32Array(capacity);
  table.values = new Array<V | undefined>(capacity).fill(undefined);
  table.size = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== undefined) setSegment(table, key, values[i] as V);
  }
}
