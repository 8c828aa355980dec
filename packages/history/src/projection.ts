import type { Message } from '@switchboard/bus';
import type { HistoryQueryOptions } from './query-plan.ts';

/**
 * Folds one event into the state. Return a new state (or the same one, changed): whatever it
 * returns is passed to the next call.
 */
export type Reducer<S, T = any> = (state: S, event: Message<T>) => S;

/**
 * Options of `history.rebuild`.
 *
 * @example
 * import { createHistoryAdapter } from '@switchboard/history';
 * const history = createHistoryAdapter({ namespace: 'shop' });
 * const yesterday = await history.rebuild('orders.#', countOrders, 0, { asOf: Date.now() - 86_400_000 });
 */
export interface RebuildOptions<T = any> {
  /**
   * Rebuild the state as it was at this time (ms since the epoch): later events are ignored.
   * @default Infinity (now)
   */
  asOf?: number;
  /**
   * Ignore events older than this (a snapshot's time, when `initial` is that snapshot).
   * @default -Infinity
   */
  fromTime?: number;
  /** Only fold events this returns true for (`(e) => e.payload.orderId === id`). */
  where?: (event: Message<T>) => boolean;
}

/** The part of a history that {@link rebuildState} reads. */
export interface EventSource {
  getHistory<T = any>(pattern: string, options?: HistoryQueryOptions): Promise<Message<T>[]>;
}

/**
 * Event sourcing: rebuilds a state by folding every stored event matching `pattern`, oldest
 * first, through `reducer`, optionally as it was at `asOf`. Expired events are gone, so keep
 * `ttlSeconds` longer than the history the state depends on (or start from a snapshot).
 *
 * @example
 * import { createHistoryAdapter, rebuildState } from '@switchboard/history';
 * const history = createHistoryAdapter({ namespace: 'shop' });
 * const order = await rebuildState(history, 'domain.order.#',
 *   (state, e) => (e.topic === 'domain.order.paid' ? { ...state, status: 'paid' } : state),
 *   { status: 'pending' },
 *   { where: (e) => e.payload.orderId === 'o-1' });
 */
export async function rebuildState<S, T = any>(
  source: EventSource,
  pattern: string,
  reducer: Reducer<S, T>,
  initial: S,
  options: RebuildOptions<T> = {},
): Promise<S> {
  const query: HistoryQueryOptions = { order: 'asc' };
  if (options.asOf !== undefined) query.toTime = options.asOf;
  if (options.fromTime !== undefined) query.fromTime = options.fromTime;
  const events = await source.getHistory<T>(pattern, query);
  const where = options.where;
  let state = initial;
  for (const event of events) {
    if (where === undefined || where(event)) state = reducer(state, event);
  }
  return state;
}
