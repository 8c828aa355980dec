import { SwitchboardError, topicMatches, type Message } from '@switchboard/bus';
import { assertPattern } from '@switchboard/bus/internal';
import type { StoreQuery } from './history-store.ts';

/**
 * Options of `getHistory`.
 *
 * @example
 * import { createHistoryAdapter } from '@switchboard/history';
 * const history = createHistoryAdapter({ namespace: 'shop' });
 * const lastHour = await history.getHistory('orders.#', { fromTime: Date.now() - 3_600_000, limit: 50 });
 */
export interface HistoryQueryOptions {
  /**
   * Oldest `ts` returned (inclusive), in ms since the epoch. Expired messages are never returned,
   * whatever this says.
   * @default -Infinity
   */
  fromTime?: number;
  /**
   * Newest `ts` returned (inclusive).
   * @default Infinity
   */
  toTime?: number;
  /**
   * Keep at most this many matching messages: the newest ones.
   * @default Infinity
   */
  limit?: number;
  /**
   * `'asc'` returns the oldest first (the order to fold events in), `'desc'` the newest first.
   * @default 'asc'
   */
  order?: 'asc' | 'desc';
}

/**
 * Turns a pattern and query options into what a store walks: the pattern's literal prefix (its
 * segments before the first wildcard) picks the index range, the TTL cutoff and time options
 * bound it, and a matcher filters what the range cannot express. Returns undefined when nothing
 * can match (an empty time window or `limit: 0`).
 */
export function planQuery(
  fn: string,
  pattern: string,
  options: HistoryQueryOptions,
  now: number,
  ttlMs: number,
): StoreQuery | undefined {
  assertPattern(pattern, fn);
  const fromTime = checkTime(fn, pattern, 'fromTime', options.fromTime, -Infinity);
  const to = checkTime(fn, pattern, 'toTime', options.toTime, Infinity);
  const limit = options.limit ?? Infinity;
  if (limit !== Infinity && !(Number.isInteger(limit) && limit >= 0)) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}('${pattern}'): options.limit must be a whole number >= 0 or Infinity, got ${String(limit)}.`,
    );
  }
  if (options.order !== undefined && options.order !== 'asc' && options.order !== 'desc') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}('${pattern}'): options.order must be 'asc' or 'desc', got ${String(options.order)}.`,
    );
  }
  // A message expires when ts + ttl <= now: the cutoff itself is already expired.
  const cutoff = now - ttlMs;
  const fromExclusive = fromTime <= cutoff;
  const from = fromExclusive ? cutoff : fromTime;
  if (limit === 0 || from > to || (from === to && fromExclusive)) return undefined;

  const segments = pattern.split('.');
  const wildcard = segments.findIndex((segment) => segment === '+' || segment === '#');
  const literal = wildcard === -1 ? segments : segments.slice(0, wildcard);
  const prefix = literal.length > 0 ? literal.join('.') : undefined;
  const single = wildcard === -1;

  const accept = (message: Message): boolean => topicMatches(pattern, message.topic);
  return { prefix, single, from, fromExclusive, to, limit, accept };
}

function checkTime(fn: string, pattern: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}('${pattern}'): options.${name} must be a time in ms since the epoch, got ${String(value)}.`,
    );
  }
  return value;
}
