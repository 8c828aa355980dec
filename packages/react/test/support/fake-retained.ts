/**
 * A stand-in for `attachRetained` (`@switchboard/bus/retained`) in the bindings' tests, with the
 * semantics the design gives it: `publish(topic, payload, { retain: true })` keeps the last
 * message per topic, and `subscribe(pattern, handler, { retained: true })` delivers the kept
 * messages matching the pattern (oldest first) in the same synchronous step as the subscription,
 * then live ones. Shared by the React and Vue suites. Replace with the real adapter once the bus
 * ships it.
 */
import type { Message, PubSubBus, SubscribeOptions } from '@switchboard/bus';

function matches(pattern: string, topic: string): boolean {
  const wanted = pattern.split('.');
  const actual = topic.split('.');
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i] === '#') return true;
    if (i >= actual.length || (wanted[i] !== '+' && wanted[i] !== actual[i])) return false;
  }
  return wanted.length === actual.length;
}

/** The bus with retained messages, and what it kept. */
export interface RetainingBus {
  readonly bus: PubSubBus;
  /** Retained subscriptions made so far (each replays). */
  readonly replays: () => number;
}

/** Wraps `bus` so that it keeps retained messages and replays them to `{ retained: true }` subscriptions. */
export function withRetained(bus: PubSubBus): RetainingBus {
  const kept = new Map<string, Message>();
  let replays = 0;
  bus.subscribe('#', (message) => {
    if (message.meta.retain !== true) return;
    kept.delete(message.topic);
    kept.set(message.topic, message);
  });
  const retaining: PubSubBus = Object.create(bus);
  retaining.subscribe = ((pattern: string, handler: (message: Message) => unknown, options?: SubscribeOptions) => {
    const off = bus.subscribe(pattern, handler, options);
    if ((options as { retained?: boolean } | undefined)?.retained === true) {
      replays++;
      for (const message of [...kept.values()]) if (matches(pattern, message.topic)) handler(message);
    }
    return off;
  }) as PubSubBus['subscribe'];
  return { bus: retaining, replays: () => replays };
}
