import { describe, expect, it } from 'vitest';
import { addEdge, createEdgeTable, findEdge, hashSegment, removeEdge } from '../src/edge-table.ts';

const find = (table: ReturnType<typeof createEdgeTable>, parent: number, segment: string) =>
  findEdge(table, parent, `x.${segment}.y`, 2, 2 + segment.length, hashSegment(segment, 0, segment.length));

describe('edge table', () => {
  it('finds edges by parent and segment slice, and keeps the rest reachable through removals', () => {
    const table = createEdgeTable();
    const edges: Array<[number, string, number]> = [];
    for (let parent = 0; parent < 40; parent++) {
      for (const segment of ['a', 'b', 'orders', `id${parent}`]) edges.push([parent, segment, edges.length + 1]);
    }
    for (const [parent, segment, child] of edges) addEdge(table, parent, segment, child);
    for (const [parent, segment, child] of edges) expect(find(table, parent, segment)).toBe(child);
    expect(find(table, 3, 'id4')).toBe(-1);
    expect(find(table, 99, 'a')).toBe(-1);
    // Remove every other edge: backward-shift deletion must not strand the ones probed past them.
    edges.forEach(([parent, segment], i) => {
      if (i % 2 === 0) expect(removeEdge(table, parent, segment)).toBe(true);
    });
    edges.forEach(([parent, segment, child], i) => expect(find(table, parent, segment)).toBe(i % 2 === 0 ? -1 : child));
    expect(removeEdge(table, 0, 'a')).toBe(false);
    expect(table.size).toBe(edges.length / 2);
  });

  it('gives memory back when most edges are gone', () => {
    const table = createEdgeTable();
    for (let i = 0; i < 1000; i++) addEdge(table, 0, `s${i}`, i + 1);
    const peak = table.keys.length;
    for (let i = 0; i < 990; i++) removeEdge(table, 0, `s${i}`);
    expect(table.keys.length).toBeLessThan(peak / 8);
    for (let i = 990; i < 1000; i++) expect(find(table, 0, `s${i}`)).toBe(i + 1);
  });
});
