import type { Message } from './message.ts';

// Shared by every bus and every bundled copy in this tab, so a handler on one bus that publishes
// on another still passes the causation chain on (and a loop through two buses is still caught).
const CONTEXT_KEY = Symbol.for('switchboard.delivery-context');
const CONTEXT_VERSION = 1;

/** The message whose handlers are running right now, synchronously, in this tab. */
export interface DeliveryContext {
  readonly version: number;
  current: Message | undefined;
}

/** Returns this tab's delivery context, creating it on first use. */
export function getDeliveryContext(): DeliveryContext {
  const registry = globalThis as unknown as Record<symbol, DeliveryContext | undefined>;
  const existing = registry[CONTEXT_KEY];
  if (existing && existing.version === CONTEXT_VERSION) return existing;
  const context: DeliveryContext = { version: CONTEXT_VERSION, current: undefined };
  Object.defineProperty(registry, CONTEXT_KEY, { value: context, configurable: true });
  return context;
}
