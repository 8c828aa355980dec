/** A deep partial: every given key must match, arrays element by element; other keys are ignored. */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? readonly DeepPartial<E>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Whether `actual` has everything `expected` has, like Playwright's `toMatchObject`: objects may
 * have more keys, arrays must have the same length, everything else is compared with `Object.is`.
 *
 * @example
 * import { matchesPartial } from '@switchboard/testing/playwright';
 * matchesPartial({ topic: 'a', payload: { id: 1, n: 2 } }, { payload: { id: 1 } }); // true
 */
export function matchesPartial(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => matchesPartial(actual[index], item))
    );
  }
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  if (typeof expected !== 'object' || expected === null) return false;
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).every(([key, value]) => key in record && matchesPartial(record[key], value));
}
