import { SwitchboardError, type Message } from '@switchboard/bus';
import { assertPattern } from '@switchboard/bus/internal';
import type { StoreQuery } from './history-store.ts';
import { patternMatcher } from './pattern-match.ts';
import { admitStored, type ReadRule } from './read-back.ts';

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
 * Turns a pattern and query options into what a store reads: the pattern, the time window (the
 * expiry cutoff included), the limit, and the test every message read back must pass. Returns
 * undefined when nothing can match (an empty time window or `limit: 0`).
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
  const rule: ReadRule = { matches: patternMatcher(pattern), from, fromExclusive, to };
  return { ...rule, pattern, limit, accept: (message: Message) => admitStored(message, rule) };
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
