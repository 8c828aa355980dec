/**
 * A bounded cache of per-topic results for the matcher: direct-mapped slots, picked by the
 * topic's hash (computed anyway while the matcher scans the topic), so a lookup is two array
 * reads and a miss costs no string hashing, no Map insert and no eviction.
 *
 * A result is kept only for a topic seen a second time recently: where ids make most topics
 * distinct, admitting every topic would churn the cache for nothing. `seen` remembers the hashes
 * of recent topics; a collision there only admits a topic one sighting early.
 *
 * A record read by module functions, like the edge table: every cache in a tab then runs the same
 * compiled code, where closures per cache were compiled for the first and slowed by the second.
 */
export interface TopicCache<R> {
  /** Number of slots; 0 disables the cache. */
  readonly slots: number;
  readonly topics: Array<string | undefined>;
  readonly hashes: Int32Array;
  readonly results: Array<R | undefined>;
  /** Hashes of topics seen once recently, by a slot of their own. */
  readonly seen: Int32Array;
  /** Topics cached now; never more than `slots`. */
  size: number;
}

// Slots are picked by multiplying, not by `%` (a division per lookup); exact up to this capacity.
const MAX_CAPACITY = 1 << 21;

/** Creates a cache of at most `capacity` topics (0 disables it). */
export function createTopicCache<R>(capacity: number): TopicCache<R> {
  const slots = Math.min(Math.max(0, Math.floor(capacity)), MAX_CAPACITY);
  return {
    slots,
    topics: new Array<string | undefined>(slots).fill(undefined),
    hashes: new Int32Array(slots),
    results: new Array<R | undefined>(slots).fill(undefined),
    seen: new Int32Array(slots * 2),
    size: 0,
  };
}

function slotOf(hash: number, count: number): number {
  return Math.floor(((hash >>> 0) * count) / 4294967296);
}

/** The cached result for `topic` (whose hash is `hash`), or undefined. */
export function cachedResult<R>(cache: TopicCache<R>, topic: string, hash: number): R | undefined {
  if (cache.slots === 0) return undefined;
  const i = slotOf(hash, cache.slots);
  return cache.hashes[i] === hash && cache.topics[i] === topic ? cache.results[i] : undefined;
}

/**
 * Notes a sighting of the topic whose hash is `hash` (just matched, not cached) and tells whether
 * it was seen recently, so its result should be kept with {@link storeResult}.
 */
export function admits<R>(cache: TopicCache<R>, hash: number): boolean {
  if (cache.slots === 0) return false;
  const mark = slotOf(Math.imul(hash, 0x9e3779b1), cache.seen.length);
  if (cache.seen[mark] === hash) return true;
  cache.seen[mark] = hash;
  return false;
}

/** Keeps `result` for `topic` (whose hash is `hash`), displacing the topic in its slot. */
export function storeResult<R>(cache: TopicCache<R>, topic: string, hash: number, result: R): void {
  const i = slotOf(hash, cache.slots);
  if (cache.topics[i] === undefined) cache.size++;
  cache.topics[i] = topic;
  cache.hashes[i] = hash;
  cache.results[i] = result;
}

/** Forgets every cached result. */
export function clearCache<R>(cache: TopicCache<R>): void {
  if (cache.size === 0) return;
  cache.topics.fill(undefined);
  cache.results.fill(undefined);
  cache.size = 0;
}
