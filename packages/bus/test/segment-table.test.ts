import { describe, expect, it } from 'vitest';
import { createIntTable } from '../src/int-table.ts';
import {
  createSegmentTable,
  findSegment,
  readTopic,
  releaseSegment,
  retainSegment,
  type SegmentTable,
  type TopicReading,
} from '../src/segment-table.ts';

function fnv(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

const retain = (segments: SegmentTable, segment: string) =>
  retainSegment(segments, segment, 0, segment.length, fnv(segment));
const find = (segments: SegmentTable, segment: string) =>
  findSegment(segments, segment, 0, segment.length, fnv(segment));

/** Reads `topic` the way the matcher's scan does; returns its segment numbers and whether it is plain. */
function read(segments: SegmentTable, topic: string): { numbers: number[]; plain: boolean } {
  const reading: TopicReading = { segmentNumbers: new Int32Array(topic.length + 1), count: 0 };
  const plain = readTopic(segments, topic, reading);
  return { numbers: Array.from(reading.segmentNumbers.subarray(0, reading.count)), plain };
}

describe('segment table', () => {
  it('numbers each segment once and finds it, but not its prefixes or extensions', () => {
    const segments = createSegmentTable(createIntTable());
    const orders = retain(segments, 'orders');
    expect(retain(segments, 'orders')).toBe(orders);
    const created = retain(segments, 'created');
    const order = retain(segments, 'order');
    expect(new Set([orders, created, order]).size).toBe(3);
    expect(find(segments, 'orders')).toBe(orders);
    expect(find(segments, 'order')).toBe(order);
    expect(find(segments, 'ord')).toBe(-1);
    expect(find(segments, 'orders2')).toBe(-1);
    expect(find(segments, '')).toBe(-1);
    // A slice of a longer text names the same segment.
    expect(findSegment(segments, 'x.orders.y', 2, 8, fnv('orders'))).toBe(orders);
  });

  it('reads a topic in one pass: segment numbers, -1 for segments no pattern names', () => {
    const segments = createSegmentTable(createIntTable());
    const orders = retain(segments, 'orders');
    const created = retain(segments, 'created');
    const sys = retain(segments, '$sys');
    expect(read(segments, 'orders.created')).toEqual({ numbers: [orders, created], plain: true });
    expect(read(segments, 'orders.o-1:x.created')).toEqual({ numbers: [orders, -1, created], plain: true });
    expect(read(segments, 'created.orders2.ordersx')).toEqual({ numbers: [created, -1, -1], plain: true });
    // Not plain (the bus then checks it in detail), but still read right for delivery.
    expect(read(segments, '$sys.orders')).toEqual({ numbers: [sys, orders], plain: false });
    expect(read(segments, 'orders.crëated.created')).toEqual({ numbers: [orders, -1, created], plain: false });
    expect(read(segments, 'orders..created')).toEqual({ numbers: [orders, -1, created], plain: false });
    for (const topic of ['', 'orders.', '.orders', 'a b', 'a.+', 'x'.repeat(257), Array(33).fill('s').join('.')]) {
      expect(read(segments, topic).plain, topic.slice(0, 20)).toBe(false);
    }
    expect(read(segments, Array(32).fill('s').join('.')).plain).toBe(true);
  });

  it('finds segments whose hashes collide by their characters', () => {
    // Two different segments with one FNV-1a hash: the table must compare characters.
    const segments = createSegmentTable(createIntTable());
    const a = retainSegment(segments, 'alpha', 0, 5, 7);
    const b = retainSegment(segments, 'bravo', 0, 5, 7);
    expect(a).not.toBe(b);
    expect(findSegment(segments, 'bravo', 0, 5, 7)).toBe(b);
    expect(findSegment(segments, 'alpha', 0, 5, 7)).toBe(a);
    releaseSegment(segments, a);
    expect(findSegment(segments, 'bravo', 0, 5, 7)).toBe(b);
    expect(findSegment(segments, 'alpha', 0, 5, 7)).toBe(-1);
  });

  it('frees a segment with its last reference and reuses its number', () => {
    const segments = createSegmentTable(createIntTable());
    const orders = retain(segments, 'orders');
    retain(segments, 'orders');
    releaseSegment(segments, orders);
    expect(find(segments, 'orders')).toBe(orders);
    releaseSegment(segments, orders);
    expect(find(segments, 'orders')).toBe(-1);
    expect(retain(segments, 'carts')).toBe(orders);
  });

  it('agrees with a Map of segments while segments come and go, and gives its space back', () => {
    const segments = createSegmentTable(createIntTable());
    const live = new Map<string, { number: number; count: number }>();
    let seed = 11;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const word = () => Array.from({ length: 1 + random(6) }, () => 'abcxyz-_:09'[random(11)]).join('');
    for (let step = 0; step < 3000; step++) {
      const segment = word();
      const known = live.get(segment);
      if (known && random(2) === 0) {
        releaseSegment(segments, known.number);
        if (--known.count === 0) live.delete(segment);
      } else {
        const number = retain(segments, segment);
        if (known) {
          expect(number).toBe(known.number);
          known.count++;
        } else live.set(segment, { number, count: 1 });
      }
      const probe = word();
      expect(find(segments, probe)).toBe(live.get(probe)?.number ?? -1);
    }
    for (const { number, count } of live.values()) for (let i = 0; i < count; i++) releaseSegment(segments, number);
    expect(segments.table.size).toBe(0);
    expect(segments.table.slots.length).toBeLessThanOrEqual(3 * 16);
  });
});
