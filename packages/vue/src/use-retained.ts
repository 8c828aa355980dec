import type { AnyBus } from '@switchboard/bus';
import { type MessagesByTopic, messagesByTopic } from '@switchboard/bus/internal';
import { type MaybeRefOrGetter, type ShallowRef, toValue } from 'vue';
import { messageRef } from './message-ref.ts';
import { resolveBus } from './switchboard.ts';

/** Options of {@link useRetained}. */
export interface UseRetainedOptions {
  /** The bus to listen on. @default the provided one */
  bus?: AnyBus | undefined;
  /**
   * Most topics kept; past it the topic updated longest ago is dropped (a pattern with ids in it
   * can match without end).
   * @default 1000
   */
  maxTopics?: number | undefined;
}

/**
 * A ref holding the retained message of every topic matching `pattern`, then the latest live one,
 * as an object by topic (`attachRetained` from `@switchboard/bus/retained` must be on the tab's
 * bus). Filled when the component mounts; empty during server rendering. Each change is a new
 * object.
 *
 * @example
 * import { useRetained } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * export const StockTable = defineComponent(() => {
 *   const stock = useRetained('inventory.stock.+');
 *   return () => h('ul', Object.values(stock.value).map((m) => h('li', { key: m.topic }, `${m.payload.sku}: ${m.payload.available}`)));
 * });
 */
export function useRetained(
  pattern: MaybeRefOrGetter<string>,
  options: UseRetainedOptions = {},
): Readonly<ShallowRef<MessagesByTopic>> {
  const topics = messagesByTopic(toValue(pattern), options.maxTopics);
  return messageRef<MessagesByTopic>({
    fn: 'useRetained',
    bus: resolveBus('useRetained', options.bus),
    pattern,
    retained: true,
    initial: topics.initial,
    reduce: topics.reduce,
  });
}
