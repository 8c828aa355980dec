import type { AnyBus } from '../pub-sub-bus.ts';

/** True when `value` has the methods the bindings call on a bus. */
export function isBus(value: unknown): value is AnyBus {
  const candidate = value as Partial<AnyBus> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.subscribe === 'function' &&
    typeof candidate.publish === 'function'
  );
}
