import type { Message } from '@switchboard/bus';
import { useSyncExternalStore } from 'react';
import type { AnyBus } from '@switchboard/bus';
import { createMessageStore } from './message-store.ts';
import { useResolvedBus } from './switchboard-provider.ts';
import { useKept } from './use-kept.ts';

/** Options of {@link useLatest}. */
export interface UseLatestOptions {
  /** The bus to listen on. @default the nearest `SwitchboardProvider`'s */
  bus?: AnyBus | undefined;
  /**
   * Start from the retained message (`attachRetained` from `@switchboard/bus/retained` on the
   * tab's bus), so the first client render already shows it; otherwise only messages published
   * after mount count.
   * @default false
   */
  retained?: boolean | undefined;
}

const serverSnapshot = (): undefined => undefined;

function newest(state: Message | undefined, message: Message): Message | undefined {
  return state?.id === message.id ? state : message;
}

/**
 * The latest message matching `topic` (a topic, or a pattern: the latest of any matching topic),
 * or undefined until one arrives. Re-renders on each new message. Server rendering returns
 * undefined, and so does hydration, which then updates on the client.
 *
 * @example
 * import { useLatest } from '@switchboard/react';
 * function Stock({ sku }: { sku: string }) {
 *   const stock = useLatest(`inventory.stock.${sku}`, { retained: true });
 *   return <span>{stock ? stock.payload.available : '…'}</span>;
 * }
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped, the payload is what the caller expects; createHooks<Topics>() types it.
export function useLatest(topic: string, options: UseLatestOptions = {}): Message<any> | undefined {
  const bus = useResolvedBus('useLatest', options.bus);
  const retained = options.retained === true;
  const store = useKept(
    () =>
      createMessageStore<Message | undefined>({ bus, pattern: topic, retained, initial: undefined, reduce: newest }),
    [bus, topic, retained],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}
