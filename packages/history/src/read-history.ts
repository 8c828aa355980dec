import type { AdapterLink, Clock, Message } from '@switchboard/bus';
import { admittedByBus } from './admitted.ts';
import { describeError, HistoryError } from './errors.ts';
import type { HistoryStore } from './history-store.ts';
import { planQuery, type HistoryQueryOptions } from './query-plan.ts';
import { compareMessages } from './schema.ts';

/** What `getHistory` reads from: the store, the messages waiting for space, the bus's rules. */
export interface HistorySource {
  readonly store: HistoryStore;
  readonly dbName: string;
  readonly clock: Clock;
  readonly ttlMs: number;
  /** Messages kept in memory until the store has space again. */
  spilled(): Message[];
  /** The bus's link, whose rules (a manifest, schemas) decide what a reader may see. */
  link(): AdapterLink | undefined;
  retrieved(count: number): void;
}

/**
 * `getHistory`: the newest stored messages matching a pattern, oldest first (newest first with
 * `order: 'desc'`), those still waiting for storage space included.
 */
export function createGetHistory(source: HistorySource) {
  const { store, dbName, clock, ttlMs } = source;
  return function getHistory<T>(pattern: string, queryOptions: HistoryQueryOptions = {}): Promise<Message<T>[]> {
    let query: ReturnType<typeof planQuery>;
    try {
      query = planQuery('getHistory', pattern, queryOptions, clock.now(), ttlMs);
    } catch (error) {
      return Promise.reject(error);
    }
    if (query === undefined) return Promise.resolve([]);
    const planned = query;
    return store.query(planned).then(
      (read) => {
        // Messages waiting in memory for storage space are stored as far as readers go.
        const waiting = source.spilled().filter(planned.accept);
        let stored = read;
        if (waiting.length > 0) {
          const ids = new Set(read.map((message) => message.id));
          stored = [...read, ...waiting.filter((message) => !ids.has(message.id))].sort(compareMessages);
          if (stored.length > planned.limit) stored = stored.slice(stored.length - planned.limit);
        }
        const found = admittedByBus(source.link(), stored);
        source.retrieved(found.length);
        if (queryOptions.order === 'desc') found.reverse();
        return found as Message<T>[];
      },
      (error: unknown) => {
        throw new HistoryError(
          'STORAGE_FAILED',
          'read',
          `getHistory('${pattern}'): reading '${dbName}' failed (${describeError(error)}); retry, or check the browser's storage settings.`,
          { cause: error },
        );
      },
    );
  };
}
