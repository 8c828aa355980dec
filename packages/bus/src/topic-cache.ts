/**
 * A bounded cache of per-topic match results, looked up before the topic is even read: a `Map`
 * keyed by the topic, so a repeated topic costs one lookup by the string's own hash (which the
 * engine computes once per string and keeps). Only plain topics are kept, so a hit also means the
 * topic is valid.
 *
 * Entries do not have to be removed when subscriptions change: the trie changes its lists in
 * place, so a cached result stays right while patterns gain or lose handlers. Only a pattern
 * gaining or losing its list changes which lists a topic matches; the trie then forgets the one
 * topic an exact pattern names, or everything for a wildcard.
 *
 * Where topics hardly repeat, even looking costs (the topic's hash, a probe, and entries
 * admitted for nothing) and saves nothing: after a window of lookups with few hits the cache
 * rests, answering nothing without looking, then tries again. Each window in a row that fails
 * doubles the next rest (up to 8 times the first): a trial makes each of its publishes dearer (a
 * copied answer, a record and an entry), and with rests of 16 windows trials were ~6% of
 * publishes where topics never repeat; they are under 1% once the rests have grown.
 *
 * A record read by module functions: every cache in a tab then runs the same compiled code,
 * where closures per cache were compiled for the first and slowed by the second.
 */
export interface TopicCache<R> {
  /** Most topics kept; 0 disables the cache. */
  readonly capacity: number;
  readonly entries: Map<string, R>;
  /** Lookups in a window: enough for a set of hot topics as large as the cache to be seen and hit. */
  readonly window: number;
  /** Lookups and hits in the current window. */
  lookups: number;
  hits: number;
  /** Topics still to go unlooked-up before the next window; 0 while the cache works. */
  resting: number;
  /** Windows the next rest lasts: doubled by each window in a row with too few hits, up to {@link LONGEST_REST}. */
  rest: number;
}

/** Share of a window's lookups that must hit for the cache to go on. */
const ENOUGH_HITS = 1 / 8;
/** How many windows' worth of topics a cache rests for after a window with fewer hits (the first in a row). */
const CACHE_REST_WINDOWS = 16;
/** Windows the longest rest lasts, after four failed windows in a row. */
const LONGEST_REST = 8 * CACHE_REST_WINDOWS;

/** Creates a cache of at most `capacity` topics (0 disables it). */
export function createTopicCache<R>(capacity: number): TopicCache<R> {
  const bound = Math.max(0, Math.floor(capacity));
  return {
    capacity: bound,
    entries: new Map(),
    window: 4 * Math.max(64, bound),
    lookups: 0,
    hits: 0,
    resting: 0,
    rest: CACHE_REST_WINDOWS,
  };
}

/**
 * Whether to look the next topic up: not when the cache is off, nor while it rests (this counts
 * the topics that go unlooked-up).
 */
export function looksUp<R>(cache: TopicCache<R>): boolean {
  if (cache.resting > 0) {
    cache.resting--;
    return false;
  }
  return cache.capacity > 0;
}

/** The cached result for `topic`, or undefined; after {@link looksUp}. */
export function cachedResult<R>(cache: TopicCache<R>, topic: string): R | undefined {
  const result = cache.entries.get(topic);
  if (result !== undefined) cache.hits++;
  if (++cache.lookups === cache.window) {
    if (cache.hits < cache.window * ENOUGH_HITS) {
      cache.resting = cache.window * cache.rest;
      cache.rest = Math.min(2 * cache.rest, LONGEST_REST);
    } else {
      cache.rest = CACHE_REST_WINDOWS;
    }
    cache.lookups = 0;
    cache.hits = 0;
  }
  return result;
}

/**
 * Keeps `result` for `topic`, after a miss. The caller checks that the cache works (on, and not
 * resting: the lookup that missed may have ended a window that was not worth it) before it makes
 * the result. Full, the cache starts over: a hot set smaller than it is taken in again at one miss
 * per topic.
 */
export function storeResult<R>(cache: TopicCache<R>, topic: string, result: R): void {
  if (cache.entries.size >= cache.capacity) cache.entries.clear();
  cache.entries.set(topic, result);
}

/** Forgets the result of `topic`. */
export function forgetTopic<R>(cache: TopicCache<R>, topic: string): void {
  if (cache.entries.size > 0) cache.entries.delete(topic);
}
