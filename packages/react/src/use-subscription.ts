import type { Handler } from '@switchboard/bus';
import { useEffect, useInsertionEffect, useRef } from 'react';
import type { AnyBus } from '@switchboard/bus';
import { subscribeOptions } from '@switchboard/bus/internal';
import { createRetainedSeen, type RetainedSeen } from './retained-seen.ts';
import { useResolvedBus } from './switchboard-provider.ts';

/** Options of {@link useSubscription}. */
export interface UseSubscriptionOptions {
  /** The bus to subscribe on. @default the nearest `SwitchboardProvider`'s */
  bus?: AnyBus | undefined;
  /**
   * Deliver the retained messages matching the pattern first, then live ones
   * (`attachRetained` from `@switchboard/bus/retained` on the tab's bus). Each retained message
   * reaches the handler once, however often React remounts the effect.
   * @default false
   */
  retained?: boolean | undefined;
  /** Subscribe only while true (hooks cannot be called conditionally). @default true */
  enabled?: boolean | undefined;
}

/** What the effect keeps between runs for one bus and pattern. */
interface Delivered {
  readonly bus: AnyBus;
  readonly pattern: string;
  readonly seen: RetainedSeen;
}

/**
 * Calls `handler` for every message matching `pattern` while the component is mounted. The
 * handler is read at delivery, so a new function on each render neither resubscribes nor loses a
 * message; the subscription changes only with `pattern`, the bus, `retained` or `enabled`.
 * StrictMode's double mount, fast refresh and unmount never leave a subscription behind or
 * deliver a message twice. Nothing subscribes during server rendering. Returns nothing: what the
 * handler returns (a promise) is awaited by `bus.flush()`.
 *
 * @example
 * import { useSubscription } from '@switchboard/react';
 * function Toasts() {
 *   const [last, setLast] = useState('');
 *   useSubscription('orders.placed', (message) => setLast(`order ${message.payload.id}`));
 *   return <p role="status">{last}</p>;
 * }
 */
// biome-ignore lint/suspicious/noExplicitAny: an untyped subscription hands the handler any payload; createHooks<Topics>() types it.
export function useSubscription(pattern: string, handler: Handler<any>, options: UseSubscriptionOptions = {}): void {
  const bus = useResolvedBus('useSubscription', options.bus);
  const retained = options.retained === true;
  const enabled = options.enabled !== false;
  const latest = useRef(handler);
  const delivered = useRef<Delivered | null>(null);
  // Before any effect of this commit can deliver a message, and never during server rendering.
  useInsertionEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!enabled) return undefined;
    let seen: RetainedSeen | undefined;
    if (retained) {
      // The same bus and pattern again (a remount of the same component): keep what was delivered.
      const previous = delivered.current;
      if (previous === null || previous.bus !== bus || previous.pattern !== pattern) {
        delivered.current = { bus, pattern, seen: createRetainedSeen() };
      }
      seen = delivered.current!.seen;
    }
    return bus.subscribe(
      pattern,
      (message) => (seen?.repeat(message) ? undefined : latest.current(message)),
      subscribeOptions(retained),
    );
  }, [bus, pattern, retained, enabled]);
}
