import { warnOnce } from '@switchboard/bus/internal';
import { StoreError } from './errors.ts';
import type { Sequencer } from './sequencer.ts';
import type { StoreStorage } from './store-storage.ts';

/** Options of {@link createPersistedLoader}. */
export interface PersistedLoaderOptions {
  readonly storage: StoreStorage | undefined;
  /** The sequencer of the current term (a new one each time the tab starts sequencing). */
  sequencer(): Sequencer;
  /** The sequencer took the store's state from storage: its history in this term starts there. */
  loaded(storeId: string): void;
  report(error: unknown): void;
}

/** Reads persisted stores into the sequencer before it answers for them. */
export interface PersistedLoader {
  /**
   * Resolves once `storeId` is loaded (a lone tab's hydrate); undefined when there is nothing to
   * wait for: the sequencer knows the store, or it does not persist.
   */
  whenLoaded(storeId: string, persist: boolean): Promise<void> | undefined;
}

/** Creates the loader of a tab's sequencer. */
export function createPersistedLoader(options: PersistedLoaderOptions): PersistedLoader {
  const { storage } = options;
  const loading = new Map<string, Promise<void>>();
  let warned = false;

  function load(storage: StoreStorage, storeId: string): Promise<void> {
    return storage.load(storeId).then(
      (stored) => {
        const sequencer = options.sequencer();
        if (stored !== undefined && !sequencer.has(storeId)) {
          sequencer.adopt({ storeId, ...stored, persist: true });
          options.loaded(storeId);
        }
        sequencer.entry(storeId).persist = true;
        loading.delete(storeId);
      },
      (error: unknown) => {
        loading.delete(storeId);
        options.sequencer().entry(storeId).persist = true;
        options.report(
          new StoreError(
            'STORAGE_FAILED',
            storeId,
            `store '${storeId}': reading its persisted state failed; it starts from the open tabs' state or its initial value.`,
            { cause: error },
          ),
        );
      },
    );
  }

  return {
    whenLoaded(storeId, persist) {
      const pending = loading.get(storeId);
      if (pending !== undefined || !persist || options.sequencer().has(storeId)) return pending;
      if (storage === undefined) {
        if (!warned) {
          warned = true;
          warnOnce(
            'store-no-storage',
            `[switchboard] store '${storeId}' has persist: true but the tab's stores have no storage; pass storage: createIdbStoreStorage() to attachStores(bus).`,
          );
        }
        return undefined;
      }
      const loaded = load(storage, storeId);
      loading.set(storeId, loaded);
      return loaded;
    },
  };
}
