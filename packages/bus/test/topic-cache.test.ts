import { describe, expect, it } from 'vitest';
import { cachedResult, createTopicCache, looksUp, storeResult } from '../src/topic-cache.ts';

describe('topic cache rests', () => {
  it('twice as long after each window in a row with too few hits, up to 128 windows, and as first after one that hits', () => {
    const cache = createTopicCache<number>(64); // windows of 256 lookups
    const missedWindow = () => {
      for (let i = 0; i < 256; i++) cachedResult(cache, `t.${i}`);
    };
    // The lookups skipped before the cache looks again.
    const rest = () => {
      let skipped = 0;
      while (!looksUp(cache)) skipped++;
      return skipped;
    };
    const rests: number[] = [];
    for (let i = 0; i < 5; i++) {
      missedWindow();
      rests.push(rest() / 256);
    }
    expect(rests).toEqual([16, 32, 64, 128, 128]);
    storeResult(cache, 'hot', 1);
    for (let i = 0; i < 256; i++) expect(cachedResult(cache, 'hot')).toBe(1);
    expect(rest()).toBe(0); // a window that hit: the cache goes on
    missedWindow();
    expect(rest() / 256).toBe(16);
  });
});
