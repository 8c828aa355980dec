/**
 * A bounded cache of per-topic results for the matcher: direct-mapped slots, picked by the
 * topic's hash (computed anyway while the matcher scans the topic), so a lookup is two array
 * reads and a miss costs no string hashing, no Map insert and no eviction.
 *
 * A result is kept only for a topic seen a second time recently: where ids make most topics
 * distinct, admitting every topic would churn the cache for nothing. `seen` remembers the hashes
 * of recent topics; a collision there only admits a topic one sighting early.
 */
export interface TopicCache<R> {
  /** The cached result for `topic` (whose hash is `hash`), or undefined. */
  get(topic: string, hash: number): R | undefined;
  /** Offers the result just computed for `topic`; it is kept if the topic was seen recently. */
  offer(topic: string, hash: number, result: R): void;
  clear(): void;
  /** Topics cached now; never more than the capacity. */
  readonly size: number;
}

// Slots are picked by multiplying, not by `%` (a division per lookup); exact up to this capacity.
const MAX_CAPACITY = 1 << 21;

/** Creates a cache of at most `capacity` topics (0 disables it). */
export function createTopicCache<R>(capacity: number): TopicCache<R> {
  const slots = Math.min(Math.max(0, Math.floor(capacity)), MAX_CAPACITY);
  const topics = new Array<string | undefined>(slots).fill(undefined);
  const hashes = new Int32Array(slots);
  const results = new Array<R | undefined>(slots).fill(undefined);
  const seen = new Int32Array(slots * 2);
  let size = 0;

  const slotOf = (hash: number, count: number): number => Math.floor(((hash >>> 0) * count) / 4294967296);

  return {
    get(topic, hash) {
      if (slots === 0) return undefined;
      const i = slotOf(hash, slots);
      return hashes[i] === hash && topics[i] === topic ? results[i] : undefined;
    },
    offer(topic, hash, result) {
      if (slots === 0) return;
      const mark = slotOf(Math.imul(hash, 0x9e3779b1), seen.length);
      if (seen[mark] !== hash) {
        seen[mark] = hash;
        return;
      }
      const i = slotOf(hash, slots);
      if (topics[i] === undefined) size++;
      topics[i] = topic;
      hashes[i] = hash;
      results[i] = result;
    },
    clear() {
      if (size === 0) return;
      topics.fill(undefined);
      results.fill(undefined);
      size = 0;
    },
    get size() {
      return size;
    },
  };
}
