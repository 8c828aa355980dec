import { cachedTopicCount, matchTopic } from './topic-match.ts';
import { createTopicTrie } from './topic-trie.ts';
import { addEntry, nodeOf, removeEntry, UNCHECKED } from './trie-entries.ts';
import { assertPattern } from './topic.ts';

/**
 * The topic matcher as a standalone object, for tools that match many patterns outside a bus (to
 * ask whether one pattern matches one topic, `topicMatches` is simpler): the trie of `topic-trie.ts`
 * (whose cost grows with a topic's depth and wildcard branches, not with the number of
 * subscriptions, plus a bounded cache of repeated topics) behind the methods below.
 */

/** Options of {@link createTopicMatcher}. */
export interface TopicMatcherOptions {
  /**
   * How many distinct topics keep their match lists cached, looked up by the topic before it is
   * even read. Full, the cache starts over. An answer stays cached while patterns gain or lose
   * entries; a pattern that gets its first entry forgets the answers it can change (its own topic
   * for a pattern without wildcards, the topics that start with its first segment for one with
   * wildcards, every topic for one that starts with a wildcard). While fewer than 1 in 8 lookups
   * hit (topics that carry ids), the cache stops looking for a while, then tries again.
   * @default 1024
   */
  cacheSize?: number;
}

/**
 * A pattern trie with a bounded per-topic cache.
 *
 * `match` answers with one list per matching pattern rather than one merged list, each a copy:
 * what it returned stays a snapshot of the moment it was called, safe to iterate while entries
 * are added or removed.
 *
 * Each entry is stored with a token that identifies it for {@link TopicMatcher.remove}; by
 * default the entry itself. A token lets the entries be what a caller wants to read fast (the bus
 * stores handlers) while removal still tells apart two equal entries (one handler subscribed
 * twice).
 */
export interface TopicMatcher<S, T = S> {
  /**
   * Stores `entry` under `pattern`, after the entries already stored under it. Throws a
   * `TopicError` naming the rule when the pattern is invalid (as `bus.subscribe` does).
   */
  add(pattern: string, entry: S, token?: T): void;
  /** Removes the entry stored with `token` (the entry itself, by default); false when not there. */
  remove(pattern: string, token: T): boolean;
  /**
   * The entries whose pattern matches the (validated) topic, as non-empty lists, one per
   * matching pattern. The order is fixed: depth first through the pattern's segments, where at
   * each segment `#` comes first, then the topic's own segment, then `+` (so for `a.b`: `#`,
   * `a.#`, `a.b`, `a.+`, `+.b`); within a list, the order entries were added. Do not mutate.
   */
  match(topic: string): readonly (readonly S[])[];
  /** The token of entry `index` of a list that {@link match} returned (also of an older snapshot). */
  tokenOf(list: readonly S[], index: number): T;
  /** Number of entries stored. */
  readonly size: number;
  /** Number of topics currently cached (never more than `cacheSize`). */
  readonly cachedTopics: number;
}

/**
 * Creates an empty matcher.
 *
 * @example
 * import { createTopicMatcher } from '@switchboard/bus';
 * const m = createTopicMatcher<string>();
 * m.add('orders.+', 'any order event');
 * m.add('orders.#', 'everything about orders');
 * m.match('orders.created'); // [['everything about orders'], ['any order event']]
 */
export function createTopicMatcher<S, T = S>(options: TopicMatcherOptions = {}): TopicMatcher<S, T> {
  const trie = createTopicTrie<S, T>(options.cacheSize ?? 1024);
  // The trie's lists change in place; what `match` hands out is copied, so it stays a snapshot.
  const tokens = new WeakMap<readonly S[], readonly T[]>();
  return {
    add(pattern, entry, token = entry as unknown as T) {
      if (typeof pattern !== 'string' || addEntry(trie, pattern, entry, token, false) === UNCHECKED) {
        assertPattern(pattern, 'add');
        addEntry(trie, pattern, entry, token, true);
      }
    },
    remove(pattern, token) {
      const node = nodeOf(trie, pattern);
      return node >= 0 && removeEntry(trie, pattern, token, node);
    },
    match(topic) {
      const answer: S[][] = [];
      // A cached answer may still hold a list that has emptied since.
      for (const list of matchTopic(trie, topic)) {
        if (list.length === 0) continue;
        const entries: S[] = [];
        const listTokens: T[] = [];
        for (let i = 0; i < list.length; i += 2) {
          entries.push(list[i] as S);
          listTokens.push(list[i + 1] as T);
        }
        tokens.set(entries, listTokens);
        answer.push(entries);
      }
      return answer;
    },
    tokenOf: (list, index) => tokens.get(list)![index]!,
    get size() {
      return trie.size;
    },
    get cachedTopics() {
      return cachedTopicCount(trie);
    },
  };
}
