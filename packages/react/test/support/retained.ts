/**
 * Retained messages for the bindings' suites: `attachRetained` (`@switchboard/bus/retained`) on
 * the test bus, and a count of the subscriptions made with `retained: true` (each replays), so a
 * test can see a hook subscribe again. Shared by the React and Vue suites.
 */
import type { Handler, PubSubBus, SubscribeOptions } from '@switchboard/bus';
import { attachRetained } from '@switchboard/bus/retained';

/** The bus with retained messages, and how many retained subscriptions were made on it. */
export interface RetainingBus {
  readonly bus: PubSubBus;
  /** Retained subscriptions made so far (each replays). */
  readonly replays: () => number;
}

/** Attaches retained messages to `bus` and counts the subscriptions that replay them. */
export function withRetained(bus: PubSubBus): RetainingBus {
  attachRetained(bus);
  let replays = 0;
  const retaining: PubSubBus = Object.create(bus);
  retaining.subscribe = ((pattern: string, handler: Handler, options?: SubscribeOptions) => {
    if (options?.retained === true) replays++;
    return bus.subscribe(pattern, handler, options);
  }) as PubSubBus['subscribe'];
  return { bus: retaining, replays: () => replays };
}
