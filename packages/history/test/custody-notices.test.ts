import { describe, expect, it } from 'vitest';
import type { Message } from '@switchboard/bus';
import { isAbout, rangesIn, rangesOf, writersIn } from '../src/custody-notices.ts';

const message = (id: string): Message =>
  ({ id, topic: 't', payload: null, ts: 1, source: 'a', meta: {}, origin: { tabId: 'x' }, depth: 0 }) as Message;

describe('custody notices', () => {
  it('reads only well-formed ranges and writers from another tab', () => {
    const payload = {
      db: 'd',
      ns: 'n',
      settled: [['w-', 0, 4], ['w-', 'x', 2], [1, 0, 1], ['v-', 0, 2 ** 53], 'junk', ['u-', 3, 7]],
      writers: ['w-', 5, null, 'v-'],
    };
    expect(rangesIn(payload)).toEqual([
      ['w-', 0, 4],
      ['u-', 3, 7],
    ]);
    expect(writersIn(payload)).toEqual(['w-', 'v-']);
    expect(rangesIn({ settled: 'all' })).toEqual([]);
    expect(writersIn({})).toEqual([]);
  });

  it('tells whether a payload is about this database and namespace', () => {
    expect(isAbout({ db: 'd', ns: 'n' }, 'd', 'n')).toBe(true);
    expect(isAbout({ db: 'd', ns: 'other' }, 'd', 'n')).toBe(false);
    expect(isAbout(null, 'd', 'n')).toBe(false);
    expect(isAbout('d', 'd', 'n')).toBe(false);
  });

  it('sums a batch up as the lowest and highest publish sequence per writer', () => {
    const batch = ['a-3', 'b-a', 'a-1', 'a-2', 'b-b'].map(message);
    expect(rangesOf(batch)).toEqual([
      ['a-', 1, 3],
      ['b-', 10, 11],
    ]);
    expect(rangesOf([])).toEqual([]);
  });
});
