import type { Bus, SubscribeOptions } from '@switchboard/bus';

/**
 * A `Bus` of any topic map, typed or not (the full bus from `createPubSub` or a per-app handle from
 * `forApp`): what a provider and the `bus` options take.
 */
// biome-ignore lint/suspicious/noExplicitAny: only `any` lets buses of every topic map in; `unknown` would refuse typed ones.
export type AnyBus = Bus<any>;

/**
 * Options that ask the bus for its retained messages first (`@switchboard/bus/retained`). Typed
 * as a variable so the option passes through buses whose declared options do not list it yet.
 */
const RETAINED_OPTIONS: SubscribeOptions & { retained?: boolean } = { retained: true };

/** `subscribe`'s options for a subscription that wants the retained messages first, or none. */
export function subscribeOptions(retained: boolean): SubscribeOptions | undefined {
  return retained ? RETAINED_OPTIONS : undefined;
}

/** True when `value` has the methods the composables call on a bus. */
export function isBus(value: unknown): value is AnyBus {
  const candidate = value as Partial<AnyBus> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.subscribe === 'function' &&
    typeof candidate.publish === 'function'
  );
}
