import { describe, expect, it } from 'vitest';
import {
  createSegmentDictionary,
  findSegment,
  readTopic,
  releaseSegment,
  retainSegment,
  type SegmentDictionary,
  type TopicReading,
} from '../src/segment-dictionary.ts';

/** Reads `topic` the way the matcher's scan does; returns its segment numbers and whether it is plain. */
function read(dictionary: SegmentDictionary, topic: string): { numbers: number[]; plain: boolean } {
  const reading: TopicReading = { segmentNumbers: new Int32Array(topic.length + 1), count: 0, stateHash: 0 };
  const plain = readTopic(dictionary, topic, reading);
  return { numbers: Array.from(reading.segmentNumbers.subarray(0, reading.count)), plain };
}

describe('segment dictionary', () => {
  it('numbers each segment once and finds it, but not its prefixes or extensions', () => {
    const dictionary = createSegmentDictionary();
    const orders = retainSegment(dictionary, 'orders');
    expect(retainSegment(dictionary, 'orders')).toBe(orders);
    const created = retainSegment(dictionary, 'created');
    const order = retainSegment(dictionary, 'order'); // a prefix of another segment is a segment of its own
    expect(new Set([orders, created, order]).size).toBe(3);
    expect(findSegment(dictionary, 'orders')).toBe(orders);
    expect(findSegment(dictionary, 'order')).toBe(order);
    expect(findSegment(dictionary, 'created')).toBe(created);
    expect(findSegment(dictionary, 'ord')).toBe(-1);
    expect(findSegment(dictionary, 'orders2')).toBe(-1);
    expect(findSegment(dictionary, '')).toBe(-1);
  });

  it('reads a topic in one pass: segment numbers, -1 for segments no pattern names', () => {
    const dictionary = createSegmentDictionary();
    const orders = retainSegment(dictionary, 'orders');
    const created = retainSegment(dictionary, 'created');
    const sys = retainSegment(dictionary, '$sys');
    expect(read(dictionary, 'orders.created')).toEqual({ numbers: [orders, created], plain: true });
    expect(read(dictionary, 'orders.o-1:x.created')).toEqual({ numbers: [orders, -1, created], plain: true });
    expect(read(dictionary, 'created.orders2.ordersx')).toEqual({ numbers: [created, -1, -1], plain: true });
    // Not plain (the bus then checks it in detail), but still read right for delivery.
    expect(read(dictionary, '$sys.orders')).toEqual({ numbers: [sys, orders], plain: false });
    expect(read(dictionary, 'orders.crëated.created')).toEqual({ numbers: [orders, -1, created], plain: false });
    expect(read(dictionary, 'orders..created')).toEqual({ numbers: [orders, -1, created], plain: false });
    expect(read(dictionary, 'orders.').plain).toBe(false);
    expect(read(dictionary, 'a b').plain).toBe(false);
  });

  it('hashes topics by the states their segments reach, for the topic cache', () => {
    const dictionary = createSegmentDictionary();
    for (const segment of ['orders', 'created', 'updated', 'a', 'ab']) retainSegment(dictionary, segment);
    const hash = (topic: string) => {
      const reading: TopicReading = { segmentNumbers: new Int32Array(64), count: 0, stateHash: 0 };
      readTopic(dictionary, topic, reading);
      return reading.stateHash;
    };
    expect(hash(['orders', 'created'].join('.'))).toBe(hash('orders.created'));
    expect(hash('orders.created')).not.toBe(hash('orders.updated'));
    expect(hash('a.bc')).not.toBe(hash('ab.c'));
    expect(hash('ord.created')).not.toBe(hash('orde.created')); // beginnings of a segment differ too
    // Segments no pattern names leave the automaton alike: the matcher hashes such topics itself.
    expect(hash('orders.x1.created')).toBe(hash('orders.y2.created'));
  });

  it('frees a segment with its last reference and keeps segments that share its prefix', () => {
    const dictionary = createSegmentDictionary();
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`); // w1, w10, w100 share prefixes
    const numbers = words.map((word) => retainSegment(dictionary, word));
    retainSegment(dictionary, 'w0'); // a second reference
    words.forEach((_, i) => {
      if (i % 3 === 0) releaseSegment(dictionary, numbers[i]!);
    });
    expect(findSegment(dictionary, 'w0')).toBe(numbers[0]); // one reference left
    words.forEach((word, i) => {
      if (i > 0) expect(findSegment(dictionary, word)).toBe(i % 3 === 0 ? -1 : numbers[i]);
    });
    expect(dictionary.size).toBe(300 - 99);
    const reused = retainSegment(dictionary, 'fresh');
    expect(numbers.filter((_, i) => i > 0 && i % 3 === 0)).toContain(reused);
    expect(findSegment(dictionary, 'fresh')).toBe(reused);
    expect(read(dictionary, 'w1.w10.w12.w100')).toEqual({
      numbers: [numbers[1], numbers[10], -1, numbers[100]],
      plain: true,
    });
  });

  it('agrees with a Map of segments while segments come and go', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    // Mostly short words over a few characters, so segments share prefixes and states fill up
    // and move; now and then a long one over every character a segment may hold.
    const few = 'abAB9_:-';
    const every = `$${few}cdefghijklmnopqrstuvwxyzCDEFGHIJKLMNOPQRSTUVWXYZ012345678`;
    const word = () => {
      const long = random(8) === 0;
      const alphabet = long ? every : few;
      return Array.from({ length: 1 + random(long ? 16 : 4) }, () => alphabet[random(alphabet.length)]).join('');
    };
    const dictionary = createSegmentDictionary();
    const live = new Map<string, { number: number; references: number }>();
    for (let step = 0; step < 6000; step++) {
      const segment = word();
      const entry = live.get(segment);
      if (entry && random(2) === 0) {
        releaseSegment(dictionary, entry.number);
        if (--entry.references === 0) live.delete(segment);
      } else {
        const number = retainSegment(dictionary, segment);
        if (entry) {
          expect(number).toBe(entry.number);
          entry.references++;
        } else {
          expect([...live.values()].map((e) => e.number)).not.toContain(number);
          live.set(segment, { number, references: 1 });
        }
      }
      const probe = word();
      expect(findSegment(dictionary, probe), `${probe} after step ${step}`).toBe(live.get(probe)?.number ?? -1);
      const topic = [word(), segment, word()].join('.');
      expect(read(dictionary, topic).numbers).toEqual(topic.split('.').map((s) => live.get(s)?.number ?? -1));
    }
    expect(dictionary.size).toBe(live.size);
    for (const { number, references } of live.values()) {
      for (let i = 0; i < references; i++) releaseSegment(dictionary, number);
    }
    expect(dictionary.size).toBe(0);
    // Every step of the automaton was given back.
    const owners = Array.from(dictionary.steps).filter((_, at) => at % 2 === 0);
    expect(owners.filter((owner, slot) => slot > 0 && owner >= 0)).toEqual([]);
  });

  it('does not grow with segments that come and go (reply topics made per request)', () => {
    const dictionary = createSegmentDictionary();
    retainSegment(dictionary, 'reply');
    const grown = () => ({ slots: dictionary.steps.length, numbers: dictionary.segments.length });
    const first = retainSegment(dictionary, 'reply-0a9f');
    releaseSegment(dictionary, first);
    const before = grown();
    for (let i = 0; i < 5000; i++) {
      const segment = `reply-${i.toString(16).padStart(4, '0')}`;
      const number = retainSegment(dictionary, segment);
      expect(findSegment(dictionary, segment)).toBe(number);
      releaseSegment(dictionary, number);
      expect(findSegment(dictionary, segment)).toBe(-1);
    }
    expect(dictionary.size).toBe(1);
    expect(grown()).toEqual(before);
  });

  it('refuses a segment no pattern may contain, so it cannot corrupt the automaton', () => {
    const dictionary = createSegmentDictionary();
    expect(() => retainSegment(dictionary, 'a b')).toThrow(/not a valid pattern segment/);
    expect(() => retainSegment(dictionary, 'é')).toThrow(/not a valid pattern segment/);
    expect(() => retainSegment(dictionary, '')).toThrow(/not a valid pattern segment/);
    expect(dictionary.size).toBe(0);
    expect(retainSegment(dictionary, 'ok')).toBe(0);
  });
});
