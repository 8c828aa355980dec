/**
 * A bounded cache of per-topic results for the matcher: direct-mapped slots, picked by the
 * topic's hash (mostly one the matcher's scan of the topic computed anyway), so a lookup is two
 * array reads and a miss costs no Map insert and no eviction.
 *
 * A result is kept only for a topic seen a second time recently: where ids make most topics
 * distinct, admitting every topic would churn the cache for nothing. `seen` remembers the hashes
 * of recent topics; a collision there only admits a topic one sighting early.
 *
 * Where topics hardly repeat, even looking costs (two reads at random places, ~15-25 ns of a
 * ~650 ns routed publish) and saves nothing: after a window of lookups with few hits the cache
 * rests, answering nothing without looking, then tries again.
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
  /**
   * Lookups in a window: enough for a set of hot topics as large as the cache to be seen twice
   * (admitted) and then hit.
   */
  readonly window: number;
  /** Lookups and hits in the current window. */
  lookups: number;
  hits: number;
  /** Topics still to go unlooked-up before the next window; 0 while the cache works. */
  resting: number;
}

/** Share of a window's lookups that must hit for the cache to go on: a hit saves ~4 misses' cost. */
const ENOUGH_HITS = 1 / 8;
/** How many windows' worth of topics a cache rests for after a window with fewer hits. */
const CACHE_REST_WINDOWS = 16;

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
    window: 4 * Math.max(64, slots),
    lookups: 0,
    hits: 0,
    resting: 0,
  };
}

function slotOf(hash: number, count: number): number {
  return Math.floor(((hash >>> 0) * count) / 4294967296);
}

/**
 * Whether to look the next topic up: not when the cache is off, nor while it rests (this counts
 * the topics that go unlooked-up).
 */
export function looksUp<R>(cache: TopicCache<R>): boolean {
  if (cache.slots === 0) return false;
  if (cache.resting > 0) {
    cache.resting--;
    return false;
  }
  return true;
}

/** The cached result for `topic` (whose hash is `hash`), or undefined; after {@link looksUp}. */
export function cachedResult<R>(cache: TopicCache<R>, topic: string, hash: number): R | undefined {
  const i = slotOf(hash, cache.slots);
  const hit = cache.hashes[i] === hash && cache.topics[i] === topic;
  if (hit) cache.hits++;
  if (++cache.lookups === cache.window) {
    if (cache.hits < cache.window * ENOUGH_HITS) cache.resting = CACHE_REST_WINDOWS * cache.window;
    cache.lookups = 0;
    cache.hits = 0;
  }
  return hit ? cache.results[i] : undefined;
}

/** FNV-1a of `topic`'s characters: a cache key for topics their reading cannot tell apart. */
export function hashCharacters(topic: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < topic.length; i++) hash = Math.imul(hash ^ topic.charCodeAt(i), 0x01000193);
  return hash;
}

/**
 * Notes a sighting of the topic whose hash is `hash` (just matched, not cached) and tells whether
 * it was seen recently, so its result should be kept with {@link storeResult}.
 */
export function admits<R>(cache: TopicCache<R>, hash: number): boolean {
  if (cache.resting > 0) return false; // the lookup ended a window that was not worth it
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
