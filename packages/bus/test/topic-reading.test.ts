import { describe, expect, it } from 'vitest';
import { hashOf, makeRoom, readTopic, sameSegment, type TopicReading } from '../src/topic-reading.ts';

/** Reads `topic`; returns each segment's text (from the starts found) and hash, and whether it is plain. */
function read(topic: string): { segments: string[]; hashes: number[]; plain: boolean } {
  const reading: TopicReading = { segmentHashes: new Int32Array(1), segmentStarts: new Int32Array(2), count: 0 };
  makeRoom(reading, topic);
  const plain = readTopic(topic, reading);
  const segments: string[] = [];
  const hashes: number[] = [];
  for (let i = 0; i < reading.count; i++) {
    segments.push(topic.slice(reading.segmentStarts[i], reading.segmentStarts[i + 1]! - 1));
    hashes.push(reading.segmentHashes[i]!);
  }
  return { segments, hashes, plain };
}

describe('topic reading', () => {
  it('finds the segments and hashes each as hashOf does', () => {
    const { segments, hashes, plain } = read('orders.o-1:x.created');
    expect(plain).toBe(true);
    expect(segments).toEqual(['orders', 'o-1:x', 'created']);
    expect(hashes).toEqual(segments.map((segment) => hashOf(segment, 0, segment.length)));
    expect(hashes[0]).toBe(hashOf('x.orders.y', 2, 8));
    expect(new Set(read('a.b.ab.ba').hashes).size).toBe(4);
  });

  it('says which topics are plain, and still reads the others for delivery', () => {
    expect(read('$sys.orders')).toMatchObject({ segments: ['$sys', 'orders'], plain: false });
    expect(read('orders..created')).toMatchObject({ segments: ['orders', '', 'created'], plain: false });
    expect(read('orders.crëated')).toMatchObject({ segments: ['orders', 'crëated'], plain: false });
    for (const topic of [
      '',
      'orders.',
      '.orders',
      'a b',
      'a.+',
      'a.#',
      'x'.repeat(257),
      Array(33).fill('s').join('.'),
    ]) {
      expect(read(topic).plain, topic.slice(0, 20)).toBe(false);
    }
    expect(read('x'.repeat(256)).plain).toBe(true);
    expect(read(Array(32).fill('s').join('.')).plain).toBe(true);
  });

  it('compares a segment with a label read in its pattern, and nothing past the label', () => {
    const pattern = 'orders.+.created.#';
    expect(sameSegment(pattern, 0, 'orders.x', 0, 6)).toBe(true);
    expect(sameSegment(pattern, 9, 'a.created', 2, 9)).toBe(true);
    expect(sameSegment(pattern, 0, 'order', 0, 5)).toBe(false); // the label goes on
    expect(sameSegment(pattern, 0, 'orders2', 0, 7)).toBe(false); // the label ends first
    expect(sameSegment('a.orders', 2, 'orders', 0, 6)).toBe(true); // a label that ends its pattern
    expect(sameSegment('a.orders', 2, 'ordersx', 0, 7)).toBe(false);
  });
});
