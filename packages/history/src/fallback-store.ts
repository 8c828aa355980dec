import { isHistoryError, type HistoryError } from './errors.ts';
import type { HistoryStore } from './history-store.ts';

/**
 * A store that uses `primary` (IndexedDB) until it turns out to be unusable (missing, refused in
 * private mode, or upgraded by another tab to a schema this copy cannot read), then switches to
 * `fallback()` (memory) for good and calls `onFallback` once. The operation that failed is
 * replayed on the fallback, so no write is lost in the switch.
 */
export function createFallbackStore(
  primary: HistoryStore | undefined,
  fallback: () => HistoryStore,
  onFallback: (error: HistoryError | undefined) => void,
): HistoryStore {
  let active: HistoryStore | undefined = primary;

  function degrade(error: HistoryError | undefined): HistoryStore {
    if (active === undefined || active === primary) {
      active = fallback();
      onFallback(error);
    }
    return active;
  }

  async function use<T>(operation: (store: HistoryStore) => Promise<T>): Promise<T> {
    // Without IndexedDB the switch happens at first use, so that it is reported to whoever listens by then.
    const store = active ?? degrade(undefined);
    if (store !== primary) return operation(store);
    try {
      return await operation(store);
    } catch (error) {
      if (!isHistoryError(error) || (error.failure !== 'unavailable' && error.failure !== 'schema')) throw error;
      primary.close();
      return operation(degrade(error));
    }
  }

  return {
    get kind() {
      return (active ?? primary)?.kind ?? 'memory';
    },
    open: () => use((store) => store.open()),
    write: (messages, ifAbsent) => use((store) => store.write(messages, ifAbsent)),
    query: (query) => use((store) => store.query(query)),
    collect: (cutoff, maxMessages) => use((store) => store.collect(cutoff, maxMessages)),
    evictOldest: (count, onChunk) => use((store) => store.evictOldest(count, onChunk)),
    count: () => use((store) => store.count()),
    clear: () => use((store) => store.clear()),
    close: () => active?.close(),
    othersWrite: () => active?.othersWrite?.(),
  };
}
