import type { HistoryError } from './errors.ts';
import { createFallbackStore } from './fallback-store.ts';
import type { HistoryStore } from './history-store.ts';
import { createIdbStore, type IdbStoreOptions } from './idb-store.ts';
import { isSupported } from './is-supported.ts';

/** Where IndexedDB is missing (`factory` undefined) the history falls back to memory at once. */
type IdbSetup = Omit<IdbStoreOptions, 'factory'> & { readonly factory: IDBFactory | undefined };

/**
 * The history's store: memory only, or IndexedDB with memory to fall back on when it is missing
 * or refused (`fellBack` is told, with the error when there is one).
 */
export function createHistoryStorage(
  kind: 'indexeddb' | 'memory',
  idb: IdbSetup,
  memory: () => HistoryStore,
  fellBack: (error: HistoryError | undefined) => void,
): HistoryStore {
  if (kind === 'memory') return memory();
  const { factory } = idb;
  return createFallbackStore(factory && createIdbStore({ ...idb, factory }), memory, fellBack);
}

/** This runtime's `indexedDB`, read at creation, never at module load: Node and some workers have none. */
export function defaultFactory(): IDBFactory | undefined {
  return isSupported() ? indexedDB : undefined;
}
