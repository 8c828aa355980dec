import { describe, expect, it } from 'vitest';
import { keyOf, LONG, makeRoom, readTopic, sameSegment, type TopicReading } from '../src/topic-reading.ts';

/** Reads `topic`; returns each segment's text (from the starts found) and key, and whether it is plain. */
function read(topic: string): { segments: string[]; keys: number[][]; plain: boolean } {
  const reading: TopicReading = { segmentKeys: new Int32Array(2), segmentStarts: new Int32Array(2), count: 0 };
  makeRoom(reading, topic);
  const plain = readTopic(topic, reading);
  const segments: string[] = [];
  const keys: number[][] = [];
  for (let i = 0; i < reading.count; i++) {
    segments.push(topic.slice(reading.segmentStarts[i], reading.segmentStarts[i + 1]! - 1));
    keys.push([reading.segmentKeys[2 * i]!, reading.segmentKeys[2 * i + 1]!]);
  }
  return { segments, keys, plain };
}

function key(text: string, start = 0, end = text.length): number[] {
  const keys = new Int32Array(2);
  keyOf(text, start, end, keys, 0);
  return [keys[0]!, keys[1]!];
}

describe('topic reading', () => {
  it('finds the segments and keys each as keyOf does', () => {
    const { segments, keys, plain } = read('orders.o-1:x.created.0123456789');
    expect(plain).toBe(true);
    expect(segments).toEqual(['orders', 'o-1:x', 'created', '0123456789']);
    expect(keys).toEqual(segments.map((segment) => key(segment)));
    expect(keys[0]).toEqual(key('x.orders.y', 2, 8));
    expect(new Set(read('a.b.ab.ba.abcdefgh.abcdefgi').keys.map(String)).size).toBe(6);
  });

  it('keys a segment of up to 8 characters by its characters, a longer one by hash and length', () => {
    expect(key('ab')).toEqual([(0x61 << 8) | 0x62, 0]);
    expect(key('abcdefgh')).toEqual([0x65666768, 0x61626364]);
    const [hash, long] = key('abcdefghi');
    expect(long).toBe(LONG | 9);
    expect(hash).not.toBe(key('abcdefghj')[0]);
    // A character beyond ASCII cannot be packed in 8 bits: such a segment takes the long key.
    expect(key('š')[1]).toBe(LONG | 1);
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
