import { describe, expect, it } from 'vitest';
import { createTopicMatcher, isTopicError, topicMatches } from '../src/index.ts';

describe('topicMatches', () => {
  it.each([
    ['orders.created', 'orders.created', true],
    ['orders.+', 'orders.created', true],
    ['orders.+', 'orders', false],
    ['orders.+', 'orders.a.b', false],
    ['orders.#', 'orders', true],
    ['orders.#', 'orders.a.b', true],
    ['orders.#', 'ordersx', false],
    ['+.created', 'orders.created', true],
    ['#', 'anything.at.all', true],
    ['#', '$sys.tab.joined', false],
    ['+.tab.joined', '$sys.tab.joined', false],
    ['$sys.#', '$sys.tab.joined', true],
    ['$sys.+.joined', '$sys.tab.joined', true],
    ['a.+.c', 'a.b.c', true],
    ['a.+.c', 'a.b.d', false],
  ])('%s against %s: %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('agrees with the matcher the bus routes with', () => {
    const patterns = ['#', 'a.#', 'a.+', '+.b', 'a.b', 'a.+.c', '+.+', '$sys.#', '+', 'a'];
    const topics = ['a', 'a.b', 'a.b.c', 'x.b', '$sys.a', 'a.x.c', 'b'];
    for (const pattern of patterns) {
      const matcher = createTopicMatcher<true>();
      matcher.add(pattern, true);
      for (const topic of topics) {
        expect(topicMatches(pattern, topic), `${pattern} ${topic}`).toBe(matcher.match(topic).length > 0);
      }
    }
  });

  it('refuses an invalid pattern or topic with a TopicError naming the rule', () => {
    for (const [pattern, topic, rule] of [
      ['a.#.b', 'a.b', 'hash-last'],
      ['a..b', 'a.b', 'empty-segment'],
      ['a.+', 'a.+', 'no-wildcards'],
      ['a.#', 'a b', 'segment-characters'],
    ] as const) {
      let thrown: unknown;
      try {
        topicMatches(pattern, topic);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toSatisfy(isTopicError);
      expect(thrown).toMatchObject({ rule });
      expect(String((thrown as Error).message)).toMatch(/^topicMatches\(/);
    }
  });
});
