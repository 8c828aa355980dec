/** A value that can be read and watched: a store, a selection of one, a computed store. */
export interface Readable<T> {
  /** The current value. */
  get(): T;
  /**
   * Calls `listener` after each change of the value (not at once). Returns the unsubscribe.
   * Listeners of a store run in the tab where the change is applied, after it is applied.
   */
  subscribe(listener: (value: T, previous: T) => void): () => void;
}

/** Compares two selected values; `Object.is` unless told otherwise. */
export type Equals<T> = (a: T, b: T) => boolean;

/**
 * A slice of a readable that notifies only when the slice changes.
 *
 * @example
 * import { select } from '@switchboard/store';
 * const count = select(cart, (state) => state.lines.length);
 * count.subscribe((n) => badge.textContent = String(n));
 */
export function select<T, S>(
  source: Readable<T>,
  selector: (value: T) => S,
  equals: Equals<S> = Object.is,
): Readable<S> {
  let cache: { input: T; output: S } | undefined;
  const read = (input: T): S => {
    if (cache !== undefined && Object.is(cache.input, input)) return cache.output;
    const output = selector(input);
    // Keep the previous output when equal, so callers comparing by reference see no change.
    cache = { input, output: cache !== undefined && equals(cache.output, output) ? cache.output : output };
    return cache.output;
  };
  return {
    get: () => read(source.get()),
    subscribe(listener) {
      let last = read(source.get());
      return source.subscribe((value) => {
        const next = read(value);
        if (equals(last, next)) return;
        const previous = last;
        last = next;
        listener(next, previous);
      });
    },
  };
}

type Values<R extends readonly Readable<unknown>[]> = { [K in keyof R]: R[K] extends Readable<infer V> ? V : never };

/**
 * A read-only store derived from several others, recomputed when one of them changes and
 * notifying only when the result changes (by `equals`).
 *
 * @example
 * import { computed } from '@switchboard/store';
 * const summary = computed([cart, stock], (cart, stock) => ({ lines: cart.lines.length, low: stock.low }));
 */
export function computed<const R extends readonly Readable<unknown>[], T>(
  sources: R,
  compute: (...values: Values<R>) => T,
  equals: Equals<T> = Object.is,
): Readable<T> {
  let inputs: unknown[] | undefined;
  let output!: T;
  const read = (): T => {
    const next = sources.map((source) => source.get());
    if (inputs === undefined || next.some((value, i) => !Object.is(value, inputs![i]))) {
      const value = compute(...(next as Values<R>));
      if (inputs === undefined || !equals(output, value)) output = value;
      inputs = next;
    }
    return output;
  };
  return {
    get: read,
    subscribe(listener) {
      let last = read();
      const onChange = (): void => {
        const next = read();
        if (equals(last, next)) return;
        const previous = last;
        last = next;
        listener(next, previous);
      };
      const unsubscribes = sources.map((source) => source.subscribe(onChange));
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
  };
}
