import { describe, expect, it } from 'vitest';
import {
  createSegmentDictionary, findSegment, hashSegment, releaseSegment, retainSegment, type SegmentDictionary,
} from '../src/segment-dictionary.ts';

// Looks the segment up as a slice of a longer topic, the way the matcher's scan does.
const find = (dictionary: SegmentDictionary, segment: string) =>
  findSegment(dictionary, `x.${segment}.y`, 2, 2 + segment.length, hashSegment(segment, 0, segment.length));

describe('segment dictionary', () => {
  it('numbers each segment once and finds it by a slice of a topic', () => {
    const dictionary = createSegmentDictionary();
    const orders = retainSegment(dictionary, 'orders');
    expect(retainSegment(dictionary, 'orders')).toBe(orders);
    const created = retainSegment(dictionary, 'created');
    expect(created).not.toBe(orders);
    expect(find(dictionary, 'orders')).toBe(orders);
    expect(find(dictionary, 'created')).toBe(created);
    expect(find(dictionary, 'order')).toBe(-1);
    expect(find(dictionary, 'orders2')).toBe(-1);
  });

  it('frees a number with its last reference and reuses it, keeping the others findable', () => {
    const dictionary = createSegmentDictionary();
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const numbers = words.map((word) => retainSegment(dictionary, word));
    retainSegment(dictionary, 'w0'); // a second reference
    words.forEach((_, i) => {
      if (i % 3 === 0) releaseSegment(dictionary, numbers[i]!);
    });
    expect(find(dictionary, 'w0')).toBe(numbers[0]); // one reference left
    words.forEach((word, i) => {
      if (i > 0) expect(find(dictionary, word)).toBe(i % 3 === 0 ? -1 : numbers[i]);
    });
    expect(dictionary.size).toBe(300 - 99);
    const reused = retainSegment(dictionary, 'fresh');
    expect(numbers.filter((_, i) => i > 0 && i % 3 === 0)).toContain(reused);
    expect(find(dictionary, 'fresh')).toBe(reused);
  });

  it('does not grow with segments that come and go (reply topics made per request)', () => {
    const dictionary = createSegmentDictionary();
    for (let i = 0; i < 5000; i++) {
      const number = retainSegment(dictionary, `reply-${i}`);
      expect(find(dictionary, `reply-${i}`)).toBe(number);
      releaseSegment(dictionary, number);
    }
    expect(dictionary.size).toBe(0);
    expect(dictionary.segments.length).toBe(1);
    expect(dictionary.slots.length).toBe(32);
  });
});
