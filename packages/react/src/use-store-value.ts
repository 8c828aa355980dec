import type { Equals, Readable, Store } from '@switchboard/store';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { notReadable } from './errors.ts';

interface Selection<T, S> {
  readonly input: T;
  readonly selector: (value: T) => S;
  readonly output: S;
}

const identity = <T>(value: T): T => value;

/** The value server rendering and hydration show: a store's `initial`, a derived readable's current value. */
function serverValue<T>(readable: Readable<T>): T {
  const definition = (readable as Partial<Store<T, unknown>>).definition;
  return definition === undefined ? readable.get() : definition.initial;
}

/**
 * The value of a store (or of `select()`, `computed()`), or the slice `selector` picks from it,
 * through `useSyncExternalStore`: the component re-renders only when the selected slice changes
 * by `equals` (a new object equal by `equals` keeps the previous one, so `useMemo` dependencies
 * hold). The latest `selector` and `equals` are used without resubscribing, so inline functions
 * are fine. Server rendering and hydration show the slice of the definition's `initial`, then
 * the client updates.
 *
 * @example
 * import { useStore, useStoreValue } from '@switchboard/react/store';
 * import { defineStore } from '@switchboard/store';
 * const draft = defineStore({ name: 'orders.draft', initial: { sku: '', qty: 1 }, owner: 'orders', scope: 'origin' });
 * function Quantity() {
 *   const qty = useStoreValue(useStore(draft), (state) => state.qty);
 *   return <output>{qty}</output>;
 * }
 */
export function useStoreValue<T>(store: Readable<T>): T;
export function useStoreValue<T, S>(store: Readable<T>, selector: (value: T) => S, equals?: Equals<S>): S;
export function useStoreValue<T, S>(
  store: Readable<T>,
  selector: (value: T) => S = identity as (value: T) => S,
  equals: Equals<S> = Object.is,
): S {
  if (typeof store?.get !== 'function' || typeof store.subscribe !== 'function') throw notReadable(store);
  const client = useRef<Selection<T, S> | undefined>(undefined);
  const server = useRef<Selection<T, S> | undefined>(undefined);
  const equalsRef = useRef(equals);
  equalsRef.current = equals;
  // A new store starts a new selection: the previous one's output must not be kept for it.
  const storeRef = useRef(store);
  if (storeRef.current !== store) {
    storeRef.current = store;
    client.current = undefined;
    server.current = undefined;
  }

  const subscribe = useCallback((onChange: () => void) => store.subscribe(() => onChange()), [store]);
  const select = (kept: { current: Selection<T, S> | undefined }, input: T): S => {
    const previous = kept.current;
    if (previous !== undefined && Object.is(previous.input, input) && previous.selector === selector) {
      return previous.output;
    }
    const next = selector(input);
    const output = previous !== undefined && equalsRef.current(previous.output, next) ? previous.output : next;
    kept.current = { input, selector, output };
    return output;
  };
  return useSyncExternalStore(
    subscribe,
    () => select(client, store.get()),
    () => select(server, serverValue(store)),
  );
}
