import { describe, expect, it } from 'vitest';
import { createTopicMatcher } from '../src/index.ts';

function setup(patterns: string[]) {
  const matcher = createTopicMatcher<{ seq: number; pattern: string }>({ cacheSize: 4 });
  patterns.forEach((pattern, seq) => matcher.add(pattern, { seq, pattern }));
  return { matcher, hits: (topic: string) => matcher.match(topic).map((entry) => entry.pattern) };
}

describe('createTopicMatcher', () => {
  it('follows MQTT semantics for + and #', () => {
    const { hits } = setup(['a', 'a.b', 'a.+', 'a.#', '#', '+', '+.b', 'a.+.c', 'a.b.#', 'x.y']);
    expect(hits('a')).toEqual(['a', 'a.#', '#', '+']);
    expect(hits('a.b')).toEqual(['a.b', 'a.+', 'a.#', '#', '+.b', 'a.b.#']);
    expect(hits('a.b.c')).toEqual(['a.#', '#', 'a.+.c', 'a.b.#']);
    expect(hits('z')).toEqual(['#', '+']);
    expect(hits('z.q.r')).toEqual(['#']);
  });

  it('returns matches in subscription order', () => {
    const { hits } = setup(['#', 'a.b', 'a.+', 'a.#']);
    expect(hits('a.b')).toEqual(['#', 'a.b', 'a.+', 'a.#']);
  });

  it('keeps $-topics away from leading wildcards', () => {
    const { hits } = setup(['#', '+.tab', '$sys.#', '$sys.+', '$sys.tab']);
    expect(hits('$sys.tab')).toEqual(['$sys.#', '$sys.+', '$sys.tab']);
  });

  it('removes entries and prunes empty branches', () => {
    const matcher = createTopicMatcher<{ seq: number }>();
    const one = { seq: 1 };
    const two = { seq: 2 };
    matcher.add('a.+.c', one);
    matcher.add('a.#', two);
    expect(matcher.match('a.b.c')).toEqual([one, two]);
    expect(matcher.remove('a.+.c', one)).toBe(true);
    expect(matcher.remove('a.+.c', one)).toBe(false);
    expect(matcher.remove('a.#', { seq: 3 })).toBe(false);
    expect(matcher.match('a.b.c')).toEqual([two]);
    expect(matcher.remove('a.#', two)).toBe(true);
    expect(matcher.match('a.b.c')).toEqual([]);
    expect(matcher.size).toBe(0);
  });

  it('keeps the topic cache within its bound and fresh after changes', () => {
    const { matcher } = setup(['t.+']);
    for (let i = 0; i < 100; i++) matcher.match(`t.${i}`);
    expect(matcher.cachedTopics).toBe(4);
    expect(matcher.match('t.1')).toHaveLength(1);
    matcher.add('t.1', { seq: 9, pattern: 't.1' });
    expect(matcher.match('t.1')).toHaveLength(2);
  });
  it('answers topics that share trie lists from one merge, and forgets it on changes', () => {
    const { matcher, hits } = setup(['o.#', 'o.+.created', 'o.1.created', 'o.#', 'o.+.created']);
    expect(hits('o.2.created')).toEqual(['o.#', 'o.+.created', 'o.#', 'o.+.created']);
    expect(hits('o.3.created')).toEqual(['o.#', 'o.+.created', 'o.#', 'o.+.created']);
    expect(hits('o.1.created')).toEqual(['o.#', 'o.+.created', 'o.1.created', 'o.#', 'o.+.created']);
    matcher.add('o.+.created', { seq: 9, pattern: 'late' });
    expect(hits('o.4.created')).toEqual(['o.#', 'o.+.created', 'o.#', 'o.+.created', 'late']);
    const first = matcher.match('o.5.created')[0]!;
    matcher.remove('o.#', first);
    expect(hits('o.6.created')).toEqual(['o.+.created', 'o.#', 'o.+.created', 'late']);
  });

  it('keeps entries added out of seq order in seq order', () => {
    const matcher = createTopicMatcher<{ seq: number }>();
    matcher.add('a.#', { seq: 5 });
    matcher.add('a.b', { seq: 3 });
    matcher.add('a.#', { seq: 1 });
    expect(matcher.match('a.b').map((entry) => entry.seq)).toEqual([1, 3, 5]);
  });
});
