import type { Unsubscribe } from './pub-sub-bus.ts';

/**
 * The subscriptions made through a handle or an access, so disposing it drops them all. One
 * that ends on its own (unsubscribed, or its signal aborted) leaves the set at once.
 */
export interface SubscriptionSet {
  readonly size: number;
  /** Tracks `off`; returns the unsubscribe to hand to the caller. */
  track(off: Unsubscribe, signal: AbortSignal | undefined): Unsubscribe;
  /** Unsubscribes everything tracked. */
  clear(): void;
}

/** Creates an empty set. */
export function createSubscriptionSet(): SubscriptionSet {
  const live = new Set<Unsubscribe>();
  return {
    get size() {
      return live.size;
    },
    track(off, signal) {
      if (signal?.aborted) return off;
      const unsubscribe = (): void => {
        if (!live.delete(unsubscribe)) return;
        signal?.removeEventListener('abort', unsubscribe);
        off();
      };
      live.add(unsubscribe);
      signal?.addEventListener('abort', unsubscribe, { once: true });
      return unsubscribe;
    },
    clear() {
      for (const unsubscribe of [...live]) unsubscribe();
    },
  };
}
