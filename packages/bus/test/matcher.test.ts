import { describe, expect, it } from 'vitest';
import { createTopicMatcher, isTopicError } from '../src/index.ts';
import { matchTopic, scanTopic } from '../src/topic-match.ts';
import { createTopicTrie } from '../src/topic-trie.ts';
import { addEntry } from '../src/trie-entries.ts';

function setup(patterns: string[]) {
  const matcher = createTopicMatcher<{ pattern: string }>({ cacheSize: 4 });
  for (const pattern of patterns) matcher.add(pattern, { pattern });
  return {
    matcher,
    hits: (topic: string) =>
      matcher
        .match(topic)
        .flat()
        .map((entry) => entry.pattern),
  };
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

  it('refuses an invalid pattern with a TopicError naming the rule, and keeps working', () => {
    const matcher = createTopicMatcher<string>();
    expect(() => matcher.add('orders.', 'x')).toThrow(
      expect.objectContaining({ code: 'INVALID_PATTERN', rule: 'empty-segment' }),
    );
    expect(() => matcher.add('orders.#.x', 'x')).toThrow(expect.objectContaining({ rule: 'hash-last' }));
    expect(() => matcher.add('ord ers', 'x')).toThrow(expect.objectContaining({ rule: 'segment-characters' }));
    expect(thrownBy(() => matcher.add('a.\u00e9', 'x'))).toSatisfy(isTopicError);
    expect(matcher.size).toBe(0);
    matcher.add('orders.+', 'ok');
    expect(matcher.match('orders.created')).toEqual([['ok']]);
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
    expect(hits('t.0')).toEqual(['t.+']);
    expect(matcher.cachedTopics).toBe(1); // a topic is kept from its first match on
    for (let i = 0; i < 100; i++) matcher.match(`t.${i}`);
    expect(matcher.cachedTopics).toBeGreaterThan(0);
    expect(matcher.cachedTopics).toBeLessThanOrEqual(4);
  });

  it('forgets cached topics only where a change of patterns can change their answer', () => {
    const { matcher, hits } = setup(['t.+']);
    expect(hits('t.98')).toEqual(['t.+']);
    expect(hits('t.99')).toEqual(['t.+']);
    expect(matcher.cachedTopics).toBe(2);
    matcher.add('t.+', { pattern: 't.+ again' }); // a pattern gaining an entry keeps what is cached
    expect(matcher.cachedTopics).toBe(2);
    expect(hits('t.99')).toEqual(['t.+', 't.+ again']);
    matcher.add('t.99', { pattern: 't.99' }); // a new exact pattern forgets its own topic only
    expect(matcher.cachedTopics).toBe(1);
    expect(hits('t.99')).toEqual(['t.99', 't.+', 't.+ again']);
    expect(hits('t.98')).toEqual(['t.+', 't.+ again']);
    expect(matcher.cachedTopics).toBe(2);
    expect(matcher.remove('t.+', matcher.match('t.98')[0]![0]!)).toBe(true); // still listed: kept
    expect(matcher.cachedTopics).toBe(2);
    expect(hits('t.98')).toEqual(['t.+ again']);
    matcher.add('u.+', { pattern: 'u.+' }); // a new wildcard under another first segment keeps them
    expect(matcher.cachedTopics).toBe(2);
    expect(hits('u.1')).toEqual(['u.+']);
    expect(matcher.cachedTopics).toBe(3);
    matcher.add('t.#', { pattern: 't.#' }); // one under theirs forgets the topics under `t`
    expect(matcher.cachedTopics).toBe(1);
    expect(hits('t.98')).toEqual(['t.#', 't.+ again']);
    matcher.add('#', { pattern: '#' }); // one that starts with a wildcard may match any topic
    expect(matcher.cachedTopics).toBe(0);
    expect(hits('t.98')).toEqual(['#', 't.#', 't.+ again']);
    expect(hits('u.1')).toEqual(['#', 'u.+']);
    // A first segment no pattern started with gets one: topics cached under none are forgotten.
    expect(hits('v.1')).toEqual(['#']);
    matcher.add('v.+', { pattern: 'v.+' });
    expect(matcher.cachedTopics).toBe(2);
    expect(hits('v.1')).toEqual(['#', 'v.+']);
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

  it('rests its topic cache while topics do not repeat, and caches again once they do', () => {
    // cacheSize 64: windows of 256 lookups (4 per slot); a rest lasts 16 windows.
    const matcher = createTopicMatcher<string>({ cacheSize: 64 });
    matcher.add('t.+', 'any t');
    const hot = ['t.a', 't.b', 't.c', 't.d'];
    const cycle = (times: number) => {
      for (let i = 0; i < times; i++) expect(matcher.match(hot[i % hot.length]!)).toEqual([['any t']]);
    };
    cycle(256); // topics that repeat keep the cache working
    expect(matcher.cachedTopics).toBeGreaterThan(0);
    for (let i = 0; i < 512; i++) expect(matcher.match(`t.${i}`)).toEqual([['any t']]); // then none do
    matcher.add('#', 'all'); // a new wildcard empties the cache
    const all = (times: number) => {
      for (let i = 0; i < times; i++) expect(matcher.match(hot[i % hot.length]!)).toEqual([['all'], ['any t']]);
    };
    all(1024);
    expect(matcher.cachedTopics).toBe(0); // resting: not even repeating topics are taken in
    all(16 * 256);
    expect(matcher.cachedTopics).toBeGreaterThan(0); // rested, it caches them again
  });

  it('caches hot topics that differ only in segments no pattern names', () => {
    const matcher = createTopicMatcher<string>({ cacheSize: 1024 });
    matcher.add('orders.+.created', 'created');
    const hot = Array.from({ length: 32 }, (_, i) => `orders.u${i}.created`);
    for (let round = 0; round < 3; round++)
      for (const topic of hot) expect(matcher.match(topic)).toEqual([['created']]);
    // Their segments reach the same states (u0, u1… leave the automaton alike), so the cache keys
    // them by their characters; else they would all share one slot.
    expect(matcher.cachedTopics).toBeGreaterThanOrEqual(24);
  });

  it('answers each topic with its own array, which matching other topics leaves alone', () => {
    const { matcher } = setup(['o.#', 'o.+.created', 'o.1.created', 'p.#']);
    const one = matcher.match('o.1.created');
    const other = matcher.match('p.2');
    matcher.match('o.2.created');
    expect(one.flat().map((entry) => entry.pattern)).toEqual(['o.#', 'o.1.created', 'o.+.created']);
    expect(other.flat().map((entry) => entry.pattern)).toEqual(['p.#']);
    expect(matcher.match('o.1.created')).not.toBe(one);
  });

  it('stores entries with tokens, so equal entries are removed one by one, also from older snapshots', () => {
    const matcher = createTopicMatcher<string, { n: number }>();
    const first = { n: 1 };
    const second = { n: 2 };
    matcher.add('a.+', 'same', first);
    matcher.add('a.+', 'same', second);
    const before = matcher.match('a.b');
    expect(before).toEqual([['same', 'same']]);
    expect(matcher.remove('a.+', second)).toBe(true);
    expect(matcher.remove('a.+', second)).toBe(false);
    const after = matcher.match('a.b');
    expect(after).toEqual([['same']]);
    expect(matcher.tokenOf(after[0]!, 0)).toBe(first);
    // The snapshot taken before still names both, in order.
    expect([matcher.tokenOf(before[0]!, 0), matcher.tokenOf(before[0]!, 1)]).toEqual([first, second]);
  });

  it('scans a topic ahead of its match and says whether it is plain', () => {
    // The scan is the trie's own (the bus scans each topic it publishes), not the matcher's API.
    const trie = createTopicTrie<string, string>(1024);
    const matcher = {
      add: (pattern: string, entry: string) => addEntry(trie, pattern, entry, entry, false),
      scan: (topic: string) => scanTopic(trie, topic),
      // Lists of the trie hold each entry beside its token.
      match: (topic: string) => matchTopic(trie, topic).map((list) => list.filter((_, i) => i % 2 === 0)),
    };
    matcher.add('orders.+', 'p');
    expect(matcher.scan('orders.o:1_x-2')).toBe(true);
    expect(matcher.match('orders.o:1_x-2')).toEqual([['p']]);
    for (const topic of [
      '',
      'a..b',
      '.a',
      'a.',
      'a b',
      'a.+',
      'a.#',
      '$sys.x',
      'é',
      'x'.repeat(257),
      Array(33).fill('s').join('.'),
    ]) {
      expect(matcher.scan(topic), JSON.stringify(topic.slice(0, 20))).toBe(false);
    }
    expect(matcher.scan('x'.repeat(256))).toBe(true);
    expect(matcher.scan(Array(32).fill('s').join('.'))).toBe(true);
    // A pattern added between a scan and the match of that topic still counts.
    expect(matcher.scan('orders.new.more')).toBe(true);
    matcher.add('orders.new.more', 'late');
    expect(matcher.match('orders.new.more')).toEqual([['late']]);
  });

  it('tells apart long segments whose hashes collide by their characters', () => {
    // 'segmykifa' and 'segm1yaha' have one FNV-1a hash and one length: their edges share a key.
    const { matcher, hits } = setup(['a.segmykifa', 'a.segm1yaha.#', 'segmykifa.x', 'segm1yaha.+']);
    expect(hits('a.segmykifa')).toEqual(['a.segmykifa']);
    expect(hits('a.segm1yaha')).toEqual(['a.segm1yaha.#']);
    expect(hits('segmykifa.x')).toEqual(['segmykifa.x']);
    expect(hits('segm1yaha.x')).toEqual(['segm1yaha.+']);
    expect(hits('a.segmxxxxx')).toEqual([]);
    expect(matcher.remove('a.segmykifa', matcher.match('a.segmykifa')[0]![0]!)).toBe(true);
    expect(hits('a.segmykifa')).toEqual([]);
    expect(hits('a.segm1yaha.y')).toEqual(['a.segm1yaha.#']);
  });

  it('keeps the entries of one pattern in the order they were added', () => {
    const matcher = createTopicMatcher<number>();
    matcher.add('a.#', 5);
    matcher.add('a.b', 3);
    matcher.add('a.#', 1);
    matcher.add('a.b', 4);
    expect(matcher.match('a.b')).toEqual([
      [5, 1],
      [3, 4],
    ]);
    matcher.remove('a.#', 5);
    matcher.add('a.#', 5);
    expect(matcher.match('a.b')).toEqual([
      [1, 5],
      [3, 4],
    ]);
  });

  it('follows every + branch of a topic as deep as topics go', () => {
    // At each of the 32 segments both a literal and a + child continue: the walk keeps a branch
    // waiting per segment, and must come back to every one of them, deepest first.
    const depth = 32;
    const patterns = [Array(depth).fill('a').join('.'), Array(depth).fill('+').join('.')];
    for (let k = 0; k < depth; k++)
      patterns.push(Array.from({ length: depth }, (_, i) => (i === k ? '+' : 'a')).join('.'));
    const { hits } = setup(patterns);
    const topic = Array(depth).fill('a').join('.');
    // Depth first, the literal before the +: the pattern whose + comes last is found first.
    expect(hits(topic)).toEqual([patterns[0], ...patterns.slice(2).reverse(), patterns[1]]);
    expect(hits(`${topic.slice(0, -1)}b`)).toEqual([patterns[patterns.length - 1], patterns[1]]);
  });
});

/**
 * MQTT matching spelled out, segment by segment: what the trie must agree with. Takes the pattern
 * and the topic split at their dots (split once, not once per comparison).
 */
function naiveMatches(p: readonly string[], t: readonly string[]): boolean {
  const system = t[0]!.startsWith('$');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return !(i === 0 && system);
    if (i >= t.length) return false;
    if (p[i] === '+') {
      if (i === 0 && system) return false;
      continue;
    }
    if (p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

describe('createTopicMatcher against a naive matcher', () => {
  it('agrees on random patterns and topics while entries come and go', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const words = ['a', 'b', 'ab', 'ba', 'x1', 'x2'];
    // `$sys` may only lead, in patterns and topics alike.
    const first = (word: string) => (random(7) === 0 ? '$sys' : word);
    const pattern = () => {
      const length = 1 + random(4);
      const parts = Array.from({ length }, (_, i) => {
        const roll = random(10);
        if (roll === 0 && i === length - 1) return '#';
        if (roll < 3) return '+';
        const word = words[random(words.length)]!;
        return i === 0 ? first(word) : word;
      });
      return parts.join('.');
    };
    const topic = () =>
      Array.from({ length: 1 + random(4) }, (_, i) => {
        const word = words[random(words.length)]!;
        return i === 0 ? first(word) : word;
      }).join('.');
    const matcher = createTopicMatcher<number>({ cacheSize: 8 });
    const live = new Map<number, string>();
    const split = new Map<number, string[]>();
    for (let step = 0; step < 3000; step++) {
      if (live.size > 0 && random(3) === 0) {
        const ids = [...live.keys()];
        const id = ids[random(ids.length)]!;
        expect(matcher.remove(live.get(id)!, id)).toBe(true);
        live.delete(id);
        split.delete(id);
      } else {
        const p = pattern();
        matcher.add(p, step);
        live.set(step, p);
        split.set(step, p.split('.'));
      }
      for (let probe = 0; probe < 3; probe++) {
        const t = topic();
        const parts = t.split('.');
        const expected: number[] = [];
        for (const [id, p] of split) if (naiveMatches(p, parts)) expected.push(id); // ids ascend

        expect(
          matcher
            .match(t)
            .flat()
            .sort((x, y) => x - y),
          `${t} after step ${step}`,
        ).toEqual(expected);
      }
      expect(matcher.size).toBe(live.size);
      expect(matcher.cachedTopics).toBeLessThanOrEqual(8);
    }
    for (const [id, p] of live) expect(matcher.remove(p, id)).toBe(true);
    expect(matcher.match('a.b')).toEqual([]);
  });
});

function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
