import { addEntry, createTopicTrie, matchTopic, removeEntry, tokenAt } from './topic-trie.ts';
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
   * How many distinct topics keep their match lists cached. A topic is admitted when it is
   * matched a second time soon after the first, into a slot picked by its hash (displacing the
   * topic there). The cache is cleared whenever an entry is added or removed, and never holds
   * more than this many topics. While fewer than 1 in 8 lookups hit (topics that carry ids), it
   * stops looking for a while, then tries again.
   * @default 1024
   */
  cacheSize?: number;
}

/**
 * A pattern trie with a bounded per-topic cache.
 *
 * `match` answers with the trie's own lists rather than one merged list: merging cost more than
 * the walk. A list is never changed once stored (adding or removing an entry replaces the whole
 * list), so what `match` returned stays a snapshot of the moment it was called, safe to iterate
 * while entries are added or removed.
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
  return {
    add(pattern, entry, token = entry as unknown as T) {
      assertPattern(pattern, 'add');
      addEntry(trie, pattern, entry, token);
    },
    remove: (pattern, token) => removeEntry(trie, pattern, token),
    match: (topic) => matchTopic(trie, topic),
    tokenOf: (list, index) => tokenAt(trie, list, index),
    get size() {
      return trie.size;
    },
    get cachedTopics() {
      return trie.cache.size;
    },
  };
}
