import type { Store, StoreDefinition, StoreRegistry } from '@switchboard/store';
import { type ShallowRef, shallowRef } from 'vue';
import { whileActive } from './lifecycle.ts';
import { resolveRegistry } from './store-registry.ts';

/** Options of {@link useStore}. */
export interface UseStoreOptions {
  /** Which instance of the definition. @default the definition's name */
  storeId?: string | undefined;
  /** The app's registry. @default the provided one */
  registry?: StoreRegistry | undefined;
}

/** What {@link useStore} returns: the store, and refs that follow it. */
export interface UseStoreResult<T, C> {
  /** The registry's instance: write with `set`, `update`, `dispatch`; `await store.ready` in an async `setup()` for `<Suspense>`. */
  readonly store: Store<T, C>;
  /** Its state, a new value after each change. */
  readonly state: Readonly<ShallowRef<T>>;
  /** True once it has its state (from the open tabs, storage, or `initial`). */
  readonly loaded: Readonly<ShallowRef<boolean>>;
}

/**
 * The instance `storeId` of `definition` from the app's registry, with its state and whether it
 * has loaded as refs. They follow the store from when the component mounts (at once in an
 * `effectScope`) until its scope ends; server rendering and hydration show the definition's
 * `initial` and `loaded: false`. The store is the registry's own instance, shared by every
 * component of the app that asks for the same `storeId`.
 *
 * @example
 * import { defineStore } from '@switchboard/store';
 * import { useStore } from '@switchboard/vue/store';
 * import { defineComponent, h } from 'vue';
 * const cart = defineStore({ name: 'orders.cart', initial: [] as string[], owner: 'orders', scope: 'origin' });
 * export const CartBadge = defineComponent(() => {
 *   const { store, state } = useStore(cart);
 *   return () => h('button', { onClick: () => store.update((lines) => [...lines, 'lamp']) }, String(state.value.length));
 * });
 */
export function useStore<T, C>(definition: StoreDefinition<T, C>, options: UseStoreOptions = {}): UseStoreResult<T, C> {
  const registry = resolveRegistry(`useStore('${String(definition?.name)}')`, options.registry);
  const store = registry.get(definition, options.storeId === undefined ? {} : { storeId: options.storeId });
  const state = shallowRef(definition.initial);
  const loaded = shallowRef(false);
  whileActive('useStore', () => {
    let active = true;
    const sync = (): void => {
      state.value = store.get();
      loaded.value = store.loaded;
    };
    sync();
    if (!store.loaded) void store.ready.then(() => active && sync());
    const unsubscribe = store.subscribe(sync);
    return () => {
      active = false;
      unsubscribe();
    };
  });
  return { store, state, loaded };
}
