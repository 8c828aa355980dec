import {
  SwitchboardError,
  systemAccess,
  type Bus,
  type Handler,
  type Message,
  type PubSubBus,
  type Unsubscribe,
} from '@switchboard/bus';
import { rebuildState, type Reducer, type RebuildOptions } from './projection.ts';
import type { HistoryQueryOptions } from './query-plan.ts';
import { subscribeWithReplay, type ReplayOptions, type ReplaySource } from './replay.ts';

/**
 * A history as one app sees it (`history.forApp(handle)`): queries, replays and rebuilds return
 * only the messages the app may subscribe to, and a pattern reaching nothing it may receive is
 * refused with a `PermissionError`. Live messages come through the app's handle, so they end
 * when the handle is disposed.
 *
 * @example
 * import { createHistoryAdapter } from '@switchboard/history';
 * const history = createHistoryAdapter({ namespace: 'shop' });
 * // in the shell, at an MFE's mount: props.history = history.forApp(props.bus)
 */
export interface HistoryReader {
  /** Stored messages matching `pattern` that the app may receive, oldest first. */
  getHistory<T = any>(pattern: string, options?: HistoryQueryOptions): Promise<Message<T>[]>;
  /** Replays what the app may receive of `pattern`, then goes live through its handle. */
  subscribe<T = any>(pattern: string, handler: Handler<T>, options?: ReplayOptions): Promise<Unsubscribe>;
  /** Folds the stored events of `pattern` the app may receive; see `rebuildState`. */
  rebuild<S, T = any>(pattern: string, reducer: Reducer<S, T>, initial: S, options?: RebuildOptions<T>): Promise<S>;
}

/** What a reader needs from its history. */
export interface AppHistorySource {
  getHistory(pattern: string, options: HistoryQueryOptions): Promise<Message[]>;
  /** The replay parts of the history, with `bus` for the live subscription; throws when not attached. */
  replaySource(bus: Bus): ReplaySource;
}

/** Builds the reader of `bus`: a handle's app reads what it may receive; the full bus reads all. */
export function createAppHistory(source: AppHistorySource, bus: Bus): HistoryReader {
  // The full bus is the host: it reads everything. A handle's reading rules come from the access
  // `forApp` registered for it, which ends with the handle.
  const access = typeof (bus as Partial<PubSubBus>).attach === 'function' ? undefined : systemAccess(bus, 'history');

  async function getHistory<T>(pattern: string, options: HistoryQueryOptions = {}): Promise<Message<T>[]> {
    const reach = access?.authorize(pattern, 'getHistory') ?? 'all';
    const found = await source.getHistory(pattern, options);
    return (reach === 'all' ? found : found.filter((message) => access!.receives(message.topic))) as Message<T>[];
  }

  return {
    getHistory,
    async subscribe<T>(pattern: string, handler: Handler<T>, options: ReplayOptions = {}) {
      if (typeof handler !== 'function') {
        throw new SwitchboardError(
          'INVALID_HANDLER',
          `history.subscribe('${pattern}'): the handler must be a function.`,
        );
      }
      const replay = source.replaySource(bus);
      const receives = access === undefined ? () => true : (message: Message) => access.receives(message.topic);
      return subscribeWithReplay(
        {
          ...replay,
          query: async (p, q) => (await replay.query(p, q)).filter(receives),
          recent: (p, since) => replay.recent(p, since).filter(receives),
        },
        pattern,
        handler as Handler<never>,
        options,
      );
    },
    rebuild: (pattern, reducer, initial, options) => rebuildState({ getHistory }, pattern, reducer, initial, options),
  };
}
