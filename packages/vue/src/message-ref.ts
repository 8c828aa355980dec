import type { Message } from '@switchboard/bus';
import { type MaybeRefOrGetter, type ShallowRef, shallowRef, toValue, watch } from 'vue';
import type { AnyBus } from '@switchboard/bus';
import { subscribeOptions } from '@switchboard/bus/internal';
import { whileActive } from './lifecycle.ts';

/** Options of {@link messageRef}. */
export interface MessageRefOptions<S> {
  readonly fn: string;
  readonly bus: AnyBus;
  readonly pattern: MaybeRefOrGetter<string>;
  readonly retained: boolean;
  /** The value before any message, and again after the pattern changes. */
  readonly initial: () => S;
  /** The next value after `message`; the same value when nothing changed (no update). */
  readonly reduce: (state: S, message: Message) => S;
}

/**
 * A ref folded from the messages matching a pattern: set by the subscription that runs while the
 * component is mounted (or the scope runs), started over for a new pattern. During server
 * rendering it keeps its initial value.
 */
export function messageRef<S>({ fn, bus, pattern, retained, initial, reduce }: MessageRefOptions<S>): ShallowRef<S> {
  const state = shallowRef(initial());
  whileActive(fn, () =>
    watch(
      () => toValue(pattern),
      (current, previous, onCleanup) => {
        if (previous !== undefined) state.value = initial();
        onCleanup(
          bus.subscribe(
            current,
            (message) => {
              state.value = reduce(state.value, message);
            },
            subscribeOptions(retained),
          ),
        );
      },
      { immediate: true },
    ),
  );
  return state;
}
