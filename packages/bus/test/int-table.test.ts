import { describe, expect, it } from 'vitest';
import { createIntTable, findValue, insert, remove } from '../src/int-table.ts';

describe('int table', () => {
  it('finds triples by tag and key, and keeps the rest reachable through removals', () => {
    const table = createIntTable();
    const triples: Array<[number, number, number]> = [];
    for (let tag = 1; tag <= 40; tag++) {
      for (const key of [0, 1, 7, 100 + tag]) triples.push([tag, key, triples.length + 1]);
    }
    for (const [tag, key, value] of triples) insert(table, tag, key, value);
    for (const [tag, key, value] of triples) expect(findValue(table, tag, key)).toBe(value);
    expect(findValue(table, 3, 104)).toBe(-1);
    expect(findValue(table, 99, 0)).toBe(-1);
    // Remove every other triple: backward-shift deletion must not strand the ones probed past them.
    triples.forEach(([tag, key, value], i) => {
      if (i % 2 === 0) expect(remove(table, tag, key, value)).toBe(true);
    });
    triples.forEach(([tag, key, value], i) => {
      expect(findValue(table, tag, key)).toBe(i % 2 === 0 ? -1 : value);
    });
    expect(remove(table, 1, 0, 1)).toBe(false);
    expect(table.size).toBe(triples.length / 2);
  });

  it('tells apart triples that share a tag and key by their value', () => {
    const table = createIntTable();
    insert(table, -1, 42, 1);
    insert(table, -1, 42, 2);
    expect(remove(table, -1, 42, 3)).toBe(false);
    expect(remove(table, -1, 42, 1)).toBe(true);
    expect(findValue(table, -1, 42)).toBe(2);
  });

  it('gives memory back when most entries are gone', () => {
    const table = createIntTable();
    for (let i = 0; i < 1000; i++) insert(table, 1, i, i + 1);
    const peak = table.slots.length;
    for (let i = 0; i < 990; i++) remove(table, 1, i, i + 1);
    expect(table.slots.length).toBeLessThan(peak / 8);
    for (let i = 990; i < 1000; i++) expect(findValue(table, 1, i)).toBe(i + 1);
  });
});
