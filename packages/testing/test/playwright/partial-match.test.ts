import { describe, expect, it } from 'vitest';
import { matchesPartial } from '../../src/playwright/partial-match.ts';

describe('matchesPartial', () => {
  it('accepts objects with at least the given keys, deeply', () => {
    expect(matchesPartial({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(matchesPartial({ a: 1 }, { a: 2 })).toBe(false);
    expect(matchesPartial({ a: 1 }, { b: undefined })).toBe(false);
    expect(matchesPartial({ a: null }, { a: {} })).toBe(false);
  });

  it('compares arrays element by element with the same length', () => {
    expect(matchesPartial([{ a: 1, b: 2 }], [{ a: 1 }])).toBe(true);
    expect(matchesPartial([1, 2], [1])).toBe(false);
    expect(matchesPartial({ 0: 1 }, [1])).toBe(false);
  });

  it('compares primitives with Object.is and dates by time', () => {
    expect(matchesPartial(NaN, NaN)).toBe(true);
    expect(matchesPartial('1', 1)).toBe(false);
    expect(matchesPartial(new Date(5), new Date(5))).toBe(true);
  });
});
