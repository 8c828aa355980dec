import type { Message } from '@switchboard/bus';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import type { AnyBus } from '@switchboard/bus';
import { messageRef } from './message-ref.ts';
import { resolveBus } from './switchboard.ts';

/** Options of {@link useLatest}. */
export interface UseLatestOptions {
  /** The bus to listen on. @default the provided one */
  bus?: AnyBus | undefined;
  /**
   * Start from the retained message (`attachRetained` from `@switchboard/bus/retained` on the
   * tab's bus); otherwise only messages published after mount count.
   * @default false
   */
  retained?: boolean | undefined;
}

function newest(state: Message | undefined, message: Message): Message | undefined {
  return state?.id === message.id ? state : message;
}

/**
 * A ref holding the latest message matching `topic` (a topic, or a pattern: the latest of any
 * matching topic), undefined until one arrives. A ref or getter as `topic` starts over when it
 * changes. Filled from when the component mounts (the retained message then, with `retained`);
 * server rendering leaves it undefined.
 *
 * @example
 * import { useLatest } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * export const Stock = defineComponent((props: { sku: string }) => {
 *   const stock = useLatest(() => `inventory.stock.${props.sku}`, { retained: true });
 *   return () => h('span', stock.value ? String(stock.value.payload.available) : '…');
 * }, { props: ['sku'] });
 */
export function useLatest(
  topic: MaybeRefOrGetter<string>,
  options: UseLatestOptions = {},
  // biome-ignore lint/suspicious/noExplicitAny: untyped, the payload is what the caller expects; createComposables<Topics>() types it.
): Readonly<ShallowRef<Message<any> | undefined>> {
  return messageRef<Message | undefined>({
    fn: 'useLatest',
    bus: resolveBus('useLatest', options.bus),
    pattern: topic,
    retained: options.retained === true,
    initial: () => undefined,
    reduce: newest,
  });
}
