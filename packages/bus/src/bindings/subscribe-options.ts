import type { SubscribeOptions } from '../pub-sub-bus.ts';

/**
 * Options that ask the bus for its retained messages first (`@switchboard/bus/retained`). Typed
 * as a variable so the option passes through buses whose declared options do not list it yet.
 */
const RETAINED_OPTIONS: SubscribeOptions & { retained?: boolean } = { retained: true };

/** `subscribe`'s options for a subscription that wants the retained messages first, or none. */
export function subscribeOptions(retained: boolean): SubscribeOptions | undefined {
  return retained ? RETAINED_OPTIONS : undefined;
}
