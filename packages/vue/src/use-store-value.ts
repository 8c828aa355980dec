import type { Equals, Readable, Store } from '@switchboard/store';
import { type ShallowRef, shallowRef } from 'vue';
import { notReadable } from './errors.ts';
import { whileActive } from './lifecycle.ts';

const identity = <T>(value: T): T => value;

/** The value server rendering and hydration show: a store's `initial`, a derived readable's current value. */
function serverValue<T>(readable: Readable<T>): T {
  const definition = (readable as Partial<Store<T, unknown>>).definition;
  return definition === undefined ? readable.get() : definition.initial;
}

/**
 * A ref holding the value of a store (or of `select()`, `computed()`), or the slice `selector`
 * picks from it. The ref changes only when the slice changes by `equals`, so watchers and
 * renders that read it run only then. It follows the store from when the component mounts (at
 * once in an `effectScope`) until its scope ends; server rendering and hydration show the slice
 * of the definition's `initial`.
 *
 * @example
 * import { defineStore } from '@switchboard/store';
 * import { injectStoreRegistry, useStoreValue } from '@switchboard/vue/store';
 * import { defineComponent, h } from 'vue';
 * const draft = defineStore({ name: 'orders.draft', initial: { sku: '', qty: 1 }, owner: 'orders', scope: 'origin' });
 * export const Quantity = defineComponent(() => {
 *   const qty = useStoreValue(injectStoreRegistry().get(draft), (state) => state.qty);
 *   return () => h('output', String(qty.value));
 * });
 */
export function useStoreValue<T>(store: Readable<T>): Readonly<ShallowRef<T>>;
export function useStoreValue<T, S>(
  store: Readable<T>,
  selector: (value: T) => S,
  equals?: Equals<S>,
): Readonly<ShallowRef<S>>;
export function useStoreValue<T, S>(
  store: Readable<T>,
  selector: (value: T) => S = identity as (value: T) => S,
  equals: Equals<S> = Object.is,
): Readonly<ShallowRef<S>> {
  if (typeof store?.get !== 'function' || typeof store.subscribe !== 'function') throw notReadable(store);
  const value = shallowRef(selector(serverValue(store)));
  const take = (state: T): void => {
    const next = selector(state);
    if (!equals(value.value, next)) value.value = next;
  };
  whileActive('useStoreValue', () => {
    take(store.get());
    return store.subscribe(take);
  });
  return value;
}
