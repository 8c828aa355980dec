import type { Store, StoreDefinition, StoreRegistry } from '@switchboard/store';
import { useResolvedRegistry } from './store-registry-provider.ts';

/** Options of {@link useStore}. */
export interface UseStoreOptions {
  /** Which instance of the definition. @default the definition's name */
  storeId?: string | undefined;
  /** The app's registry. @default the nearest `StoreRegistryProvider`'s */
  registry?: StoreRegistry | undefined;
}

/**
 * The instance `storeId` of `definition` from the app's registry, once it has its state (from
 * the open tabs, storage, or `initial`): until then the component suspends, so the nearest
 * `<Suspense>` shows its fallback. Read its value with {@link useStoreValue}; write with
 * `store.set`, `store.update` or `store.dispatch`. The store is the registry's own instance,
 * shared by every component of the app that asks for the same `storeId`.
 *
 * @example
 * import { useStore, useStoreValue } from '@switchboard/react/store';
 * import { defineStore } from '@switchboard/store';
 * const cart = defineStore({ name: 'orders.cart', initial: [] as string[], owner: 'orders', scope: 'origin' });
 * function CartBadge() {
 *   const store = useStore(cart);
 *   const count = useStoreValue(store, (lines) => lines.length);
 *   return <button type="button" onClick={() => store.update((lines) => [...lines, 'lamp'])}>{count}</button>;
 * }
 */
export function useStore<T, C>(definition: StoreDefinition<T, C>, options: UseStoreOptions = {}): Store<T, C> {
  const registry = useResolvedRegistry(`useStore('${String(definition?.name)}')`, options.registry);
  const store = registry.get(definition, options.storeId === undefined ? {} : { storeId: options.storeId });
  if (store.loaded) return store;
  // Suspense: React renders the component again once the promise settles, and then it is loaded.
  throw store.ready;
}
