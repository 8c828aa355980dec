import type { Message } from '@switchboard/bus';
import type { AnyBus } from '@switchboard/bus';
import { subscribeOptions } from '@switchboard/bus/internal';

/** A value kept from a bus's messages, in the shape `useSyncExternalStore` reads. */
export interface MessageStore<S> {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): S;
}

/** Options of {@link createMessageStore}. */
export interface MessageStoreOptions<S> {
  readonly bus: AnyBus;
  readonly pattern: string;
  /** Start from the bus's retained messages. */
  readonly retained: boolean;
  readonly initial: S;
  /** The next value after `message`; the same value when nothing changed (no re-render). */
  readonly reduce: (state: S, message: Message) => S;
}

/**
 * Folds the messages matching a pattern into a value. The subscription is made when React
 * subscribes (after commit, never on the server) and ends with it; the value outlives it, so a
 * remount (StrictMode, fast refresh) continues from it and a replayed retained message changes
 * nothing. With `retained`, the first client read takes the retained messages at once (a
 * subscription opened and closed in the same step), so the first render already shows them.
 */
export function createMessageStore<S>({
  bus,
  pattern,
  retained,
  initial,
  reduce,
}: MessageStoreOptions<S>): MessageStore<S> {
  let state = initial;
  let read = false;
  const apply = (message: Message): boolean => {
    const next = reduce(state, message);
    if (Object.is(next, state)) return false;
    state = next;
    return true;
  };
  return {
    subscribe(onChange) {
      read = true;
      return bus.subscribe(
        pattern,
        (message) => {
          if (apply(message)) onChange();
        },
        subscribeOptions(retained),
      );
    },
    getSnapshot() {
      if (retained && !read) {
        read = true;
        bus.subscribe(pattern, apply, subscribeOptions(true))();
      }
      return state;
    },
  };
}
