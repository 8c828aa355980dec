import { useRef } from 'react';

interface Kept<T> {
  readonly value: T;
  readonly deps: readonly unknown[];
}

/**
 * `useMemo` that survives fast refresh: React drops every memoised value on a hot update (it
 * ignores their dependencies), which would throw away the messages a store had collected. A ref
 * is kept, so the value is made again only when a dependency really changed.
 */
export function useKept<T>(create: () => T, deps: readonly unknown[]): T {
  const kept = useRef<Kept<T> | null>(null);
  const current = kept.current;
  if (
    current === null ||
    current.deps.length !== deps.length ||
    current.deps.some((dep, i) => !Object.is(dep, deps[i]))
  ) {
    kept.current = { value: create(), deps };
    return kept.current.value;
  }
  return current.value;
}
