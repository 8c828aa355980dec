import { describe, expect, it } from 'vitest';
import { addEdge, createEdgeTable, findEdge, removeEdge } from '../src/edge-table.ts';

describe('edge table', () => {
  it('finds edges by parent and segment number, and keeps the rest reachable through removals', () => {
    const table = createEdgeTable();
    const edges: Array<[number, number, number]> = [];
    for (let parent = 0; parent < 40; parent++) {
      for (const segment of [0, 1, 7, 100 + parent]) edges.push([parent, segment, edges.length + 1]);
    }
    for (const [parent, segment, child] of edges) addEdge(table, parent, segment, child);
    for (const [parent, segment, child] of edges) expect(findEdge(table, parent, segment)).toBe(child);
    expect(findEdge(table, 3, 104)).toBe(-1);
    expect(findEdge(table, 99, 0)).toBe(-1);
    // Remove every other edge: backward-shift deletion must not strand the ones probed past them.
    edges.forEach(([parent, segment], i) => {
      if (i % 2 === 0) expect(removeEdge(table, parent, segment)).toBe(true);
    });
    edges.forEach(([parent, segment, child], i) => {
      expect(findEdge(table, parent, segment)).toBe(i % 2 === 0 ? -1 : child);
    });
    expect(removeEdge(table, 0, 0)).toBe(false);
    expect(table.size).toBe(edges.length / 2);
  });

  it('gives memory back when most edges are gone', () => {
    const table = createEdgeTable();
    for (let i = 0; i < 1000; i++) addEdge(table, 0, i, i + 1);
    const peak = table.slots.length;
    for (let i = 0; i < 990; i++) removeEdge(table, 0, i);
    expect(table.slots.length).toBeLessThan(peak / 8);
    for (let i = 990; i < 1000; i++) expect(findEdge(table, 0, i)).toBe(i + 1);
  });
});
