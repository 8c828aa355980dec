import { describe, expect, it } from 'vitest';
import { createIntTable, homeOf, insert, remove, type IntTable } from '../src/int-table.ts';

/** The value stored under (tag, key0, key1), or -1: a probe as the trie's walk makes it. */
function find(table: IntTable, tag: number, key0: number, key1: number): number {
  const { slots, mask } = table;
  for (let i = homeOf(tag, key0, key1, mask); slots[4 * i] !== 0; i = (i + 1) & mask) {
    if (slots[4 * i] === tag && slots[4 * i + 1] === key0 && slots[4 * i + 2] === key1) return slots[4 * i + 3]!;
  }
  return -1;
}

describe('int table', () => {
  it('finds values by tag and key, and keeps the rest reachable through removals', () => {
    const table = createIntTable();
    const entries: Array<[number, number, number, number]> = [];
    for (let tag = 1; tag <= 40; tag++) {
      for (const key of [0, 1, 7, 100 + tag]) entries.push([tag, key, key % 3, entries.length + 1]);
    }
    for (const [tag, key0, key1, value] of entries) insert(table, tag, key0, key1, value);
    for (const [tag, key0, key1, value] of entries) expect(find(table, tag, key0, key1)).toBe(value);
    expect(find(table, 3, 104, 0)).toBe(-1);
    expect(find(table, 99, 0, 0)).toBe(-1);
    expect(find(table, 1, 1, 2)).toBe(-1); // the second integer of the key counts too
    // Remove every other entry: backward-shift deletion must not strand the ones probed past them.
    entries.forEach(([tag, key0, key1, value], i) => {
      if (i % 2 === 0) expect(remove(table, tag, key0, key1, value)).toBe(true);
    });
    entries.forEach(([tag, key0, key1, value], i) => {
      expect(find(table, tag, key0, key1)).toBe(i % 2 === 0 ? -1 : value);
    });
    expect(remove(table, 1, 0, 0, 1)).toBe(false);
    expect(table.size).toBe(entries.length / 2);
  });

  it('tells apart entries that share a tag and key by their value', () => {
    const table = createIntTable();
    insert(table, 1, 42, 7, 1);
    insert(table, 1, 42, 7, 2);
    expect(remove(table, 1, 42, 7, 3)).toBe(false);
    expect(remove(table, 1, 42, 7, 1)).toBe(true);
    expect(find(table, 1, 42, 7)).toBe(2);
  });

  it('gives memory back when most entries are gone', () => {
    const table = createIntTable();
    for (let i = 0; i < 1000; i++) insert(table, 1, i, 0, i + 1);
    const peak = table.slots.length;
    for (let i = 0; i < 990; i++) remove(table, 1, i, 0, i + 1);
    expect(table.slots.length).toBeLessThan(peak / 8);
    for (let i = 990; i < 1000; i++) expect(find(table, 1, i, 0)).toBe(i + 1);
  });
});
