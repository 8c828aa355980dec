import type { Handler } from '@switchboard/bus';
import { type MaybeRefOrGetter, toValue, watch } from 'vue';
import type { AnyBus } from '@switchboard/bus';
import { subscribeOptions } from '@switchboard/bus/internal';
import { whileActive } from './lifecycle.ts';
import { resolveBus } from './switchboard.ts';

/** Options of {@link useSubscription}. */
export interface UseSubscriptionOptions {
  /** The bus to subscribe on. @default the provided one */
  bus?: AnyBus | undefined;
  /**
   * Deliver the retained messages matching the pattern first, then live ones
   * (`attachRetained` from `@switchboard/bus/retained` on the tab's bus).
   * @default false
   */
  retained?: boolean | undefined;
  /** Subscribe only while true; a ref or getter is followed. @default true */
  enabled?: MaybeRefOrGetter<boolean> | undefined;
}

/**
 * Calls `handler` for every message matching `pattern` while the component is mounted (or the
 * effect scope runs). A ref or getter as `pattern` resubscribes when it changes. Nothing
 * subscribes during server rendering. Returns a function that stops early; the subscription
 * also ends with the component or scope. What the handler returns (a promise) is awaited by
 * `bus.flush()`.
 *
 * @example
 * import { useSubscription } from '@switchboard/vue';
 * import { defineComponent, h, ref } from 'vue';
 * export const Toasts = defineComponent(() => {
 *   const last = ref('');
 *   useSubscription('orders.placed', (message) => (last.value = `order ${message.payload.id}`));
 *   return () => h('p', { role: 'status' }, last.value);
 * });
 */
export function useSubscription(
  pattern: MaybeRefOrGetter<string>,
  // biome-ignore lint/suspicious/noExplicitAny: an untyped subscription hands the handler any payload; createComposables<Topics>() types it.
  handler: Handler<any>,
  options: UseSubscriptionOptions = {},
): () => void {
  const bus = resolveBus('useSubscription', options.bus);
  const subscribe = subscribeOptions(options.retained === true);
  return whileActive('useSubscription', () =>
    watch(
      // Two sources, each compared by value: an unrelated change never resubscribes.
      [() => toValue(pattern), () => toValue(options.enabled) !== false],
      ([current, enabled], _previous, onCleanup) => {
        if (enabled) onCleanup(bus.subscribe(current, handler, subscribe));
      },
      { immediate: true },
    ),
  );
}
