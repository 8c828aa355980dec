import { describe, expect, it } from 'vitest';
import { createTopicMatcher } from '../src/index.ts';
import { covers, createTopicRules, overlaps } from '../src/topic-rules.ts';

const split = (pattern: string): string[] => pattern.split('.');

describe('topic rules', () => {
  it('match topics as subscribe patterns do, $sys. rule included', () => {
    const rules = createTopicRules(['orders.#', 'inventory.stock.+', 'cart', '+.audit.#']);
    expect(rules.matches('orders')).toBe(true);
    expect(rules.matches('orders.placed.eu')).toBe(true);
    expect(rules.matches('ordersx')).toBe(false);
    expect(rules.matches('inventory.stock.sku1')).toBe(true);
    expect(rules.matches('inventory.stock')).toBe(false);
    expect(rules.matches('inventory.stock.a.b')).toBe(false);
    expect(rules.matches('cart')).toBe(true);
    expect(rules.matches('cart.x')).toBe(false);
    expect(rules.matches('x.audit')).toBe(true);
    expect(rules.matches('$sys.audit.x')).toBe(false);
    expect(createTopicRules(['#']).matches('$sys.tab.joined')).toBe(false);
    expect(createTopicRules(['$sys.tab.#']).matches('$sys.tab.joined')).toBe(true);
    expect(createTopicRules([]).matches('a')).toBe(false);
  });

  it('agree with the bus matcher on every pattern and topic of a grid, and cover or overlap as the grid shows', () => {
    const segments = ['a', 'b', '$sys'];
    const topics: string[] = [];
    const grow = (prefix: string[], depth: number): void => {
      if (prefix.length > 0 && !prefix.slice(1).includes('$sys')) topics.push(prefix.join('.'));
      if (depth === 0) return;
      for (const segment of segments) grow([...prefix, segment], depth - 1);
    };
    grow([], 3);
    const patterns: string[] = [];
    const growPattern = (prefix: string[], depth: number): void => {
      if (prefix.length > 0) patterns.push(prefix.join('.'));
      if (depth === 0 || prefix.at(-1) === '#') return;
      for (const segment of ['a', '+', '#', ...(prefix.length === 0 ? ['$sys'] : [])]) {
        growPattern([...prefix, segment], depth - 1);
      }
    };
    growPattern([], 3);
    const matched = new Map<string, Set<string>>();
    for (const pattern of patterns) {
      const matcher = createTopicMatcher<string>();
      matcher.add(pattern, pattern);
      const rules = createTopicRules([pattern]);
      const hits = new Set<string>();
      for (const topic of topics) {
        const hit = matcher.match(topic).length > 0;
        expect(rules.matches(topic), `${pattern} vs ${topic}`).toBe(hit);
        if (hit) hits.add(topic);
      }
      matched.set(pattern, hits);
    }
    // Topics of up to three segments tell every relation between patterns of up to three.
    for (const outer of patterns) {
      for (const inner of patterns) {
        const outerHits = matched.get(outer)!;
        const innerHits = [...matched.get(inner)!];
        expect(covers(split(outer), split(inner)), `${outer} covers ${inner}`).toBe(
          innerHits.every((topic) => outerHits.has(topic)),
        );
        expect(overlaps(split(outer), split(inner)), `${outer} overlaps ${inner}`).toBe(
          innerHits.some((topic) => outerHits.has(topic)),
        );
      }
    }
  });

  it('tell whether one pattern covers another', () => {
    expect(covers(split('orders.#'), split('orders.+'))).toBe(true);
    expect(covers(split('orders.#'), split('orders'))).toBe(true);
    expect(covers(split('orders.#'), split('orders.#'))).toBe(true);
    expect(covers(split('orders.+'), split('orders.#'))).toBe(false);
    expect(covers(split('a.+.#'), split('a.#'))).toBe(false);
    expect(covers(split('a.+'), split('a.b'))).toBe(true);
    expect(covers(split('a.b'), split('a.+'))).toBe(false);
    expect(covers(split('a'), split('a.b'))).toBe(false);
    expect(covers(split('#'), split('$sys.tab.#'))).toBe(false);
    expect(covers(split('$sys.#'), split('$sys.tab.#'))).toBe(true);
    expect(covers(split('$sys.#'), split('+.tab'))).toBe(false);
  });

  it('tell whether two patterns share a topic', () => {
    expect(overlaps(split('#'), split('orders.x'))).toBe(true);
    expect(overlaps(split('a.#'), split('a'))).toBe(true);
    expect(overlaps(split('a.+'), split('+.b'))).toBe(true);
    expect(overlaps(split('a.+'), split('a'))).toBe(false);
    expect(overlaps(split('a.b'), split('a.c'))).toBe(false);
    expect(overlaps(split('#'), split('$sys.tab.#'))).toBe(false);
    expect(overlaps(split('+.tab'), split('$sys.tab'))).toBe(false);
    expect(overlaps(split('$sys.+'), split('$sys.tab'))).toBe(true);
  });

  it('reach: all, some or none of a pattern', () => {
    const rules = createTopicRules(['orders.#', 'inventory.stock.+']);
    expect(rules.reach('orders.+')).toBe('all');
    expect(rules.reach('inventory.stock.+')).toBe('all');
    expect(rules.reach('#')).toBe('some');
    expect(rules.reach('inventory.#')).toBe('some');
    expect(rules.reach('cart.#')).toBe('none');
    expect(rules.reach('$sys.#')).toBe('none');
  });
});
