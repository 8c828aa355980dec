import { describe, expect, it } from 'vitest';
import { createTopicMatcher } from '../src/index.ts';

function setup(patterns: string[]) {
  const matcher = createTopicMatcher<{ pattern: string }>({ cacheSize: 4 });
  patterns.forEach((pattern) => matcher.add(pattern, { pattern }));
  return { matcher, hits: (topic: string) => matcher.match(topic).flat().map((entry) => entry.pattern) };
}

describe('createTopicMatcher', () => {
  it('follows MQTT semantics for + and #', () => {
    const { hits } = setup(['a', 'a.b', 'a.+', 'a.#', '#', '+', '+.b', 'a.+.c', 'a.b.#', 'x.y']);
    expect(hits('a')).toEqual(['#', 'a.#', 'a', '+']);
    expect(hits('a.b')).toEqual(['#', 'a.#', 'a.b.#', 'a.b', 'a.+', '+.b']);
    expect(hits('a.b.c')).toEqual(['#', 'a.#', 'a.b.#', 'a.+.c']);
    expect(hits('z')).toEqual(['#', '+']);
    expect(hits('z.q.r')).toEqual(['#']);
  });

  it('orders matches by pattern (# first, then the named segment, then +), each pattern in the order added', () => {
    const matcher = createTopicMatcher<string>();
    for (const entry of ['+.b#1', 'a.+#1', 'a.b#1', 'a.##1', '##1', 'a.b#2', '##2', 'a.+#2']) {
      matcher.add(entry.slice(0, entry.lastIndexOf('#')), entry);
    }
    expect(matcher.match('a.b')).toEqual([
      ['##1', '##2'],
      ['a.##1'],
      ['a.b#1', 'a.b#2'],
      ['a.+#1', 'a.+#2'],
      ['+.b#1'],
    ]);
  });

  it('keeps $-topics away from leading wildcards', () => {
    const { hits } = setup(['#', '+.tab', '$sys.#', '$sys.+', '$sys.tab']);
    expect(hits('$sys.tab')).toEqual(['$sys.#', '$sys.tab', '$sys.+']);
  });

  it('removes entries and prunes empty branches', () => {
    const matcher = createTopicMatcher<{ id: number }>();
    const one = { id: 1 };
    const two = { id: 2 };
    matcher.add('a.+.c', one);
    matcher.add('a.#', two);
    expect(matcher.match('a.b.c')).toEqual([[two], [one]]);
    expect(matcher.remove('a.+.c', one)).toBe(true);
    expect(matcher.remove('a.+.c', one)).toBe(false);
    expect(matcher.remove('a.#', { id: 3 })).toBe(false);
    expect(matcher.match('a.b.c')).toEqual([[two]]);
    expect(matcher.remove('a.#', two)).toBe(true);
    expect(matcher.match('a.b.c')).toEqual([]);
    expect(matcher.size).toBe(0);
  });

  it('keeps the topic cache within its bound and fresh after changes', () => {
    const { matcher, hits } = setup(['t.+']);
    for (let i = 0; i < 100; i++) matcher.match(`t.${i}`);
    // A topic is cached on its second sighting, so one pass over distinct topics caches none.
    expect(matcher.cachedTopics).toBe(0);
    for (let i = 0; i < 100; i++) {
      matcher.match(`t.${i}`);
      matcher.match(`t.${i}`);
    }
    expect(matcher.cachedTopics).toBe(4);
    expect(hits('t.1')).toEqual(['t.+']);
    matcher.add('t.1', { pattern: 't.1' });
    expect(hits('t.1')).toEqual(['t.1', 't.+']);
  });

  it('answers with snapshots that later adds and removes leave alone', () => {
    const { matcher, hits } = setup(['o.#', 'o.+.created', 'o.1.created', 'o.#', 'o.+.created']);
    expect(hits('o.2.created')).toEqual(['o.#', 'o.#', 'o.+.created', 'o.+.created']);
    expect(hits('o.1.created')).toEqual(['o.#', 'o.#', 'o.1.created', 'o.+.created', 'o.+.created']);
    const before = matcher.match('o.3.created');
    matcher.add('o.+.created', { pattern: 'late' });
    expect(hits('o.4.created')).toEqual(['o.#', 'o.#', 'o.+.created', 'o.+.created', 'late']);
    const first = before[0]![0]!;
    expect(matcher.remove('o.#', first)).toBe(true);
    expect(hits('o.5.created')).toEqual(['o.#', 'o.+.created', 'o.+.created', 'late']);
    expect(matcher.match('o.5.created')[0]![0]).not.toBe(first);
    // What was handed out before the changes is unchanged: a delivery loop may still read it.
    expect(before.flat().map((entry) => entry.pattern)).toEqual(['o.#', 'o.#', 'o.+.created', 'o.+.created']);
    expect(before[0]![0]).toBe(first);
  });

  it('keeps the entries of one pattern in the order they were added', () => {
    const matcher = createTopicMatcher<number>();
    matcher.add('a.#', 5);
    matcher.add('a.b', 3);
    matcher.add('a.#', 1);
    matcher.add('a.b', 4);
    expect(matcher.match('a.b')).toEqual([[5, 1], [3, 4]]);
    matcher.remove('a.#', 5);
    matcher.add('a.#', 5);
    expect(matcher.match('a.b')).toEqual([[1, 5], [3, 4]]);
  });
});
