import type { Message } from '@switchboard/bus';
import { type MaybeRefOrGetter, type ShallowRef, toValue } from 'vue';
import type { AnyBus } from './bus.ts';
import { invalidMaxTopics } from './errors.ts';
import { messageRef } from './message-ref.ts';
import { resolveBus } from './switchboard.ts';

/** The latest message of each topic, by topic. */
// biome-ignore lint/suspicious/noExplicitAny: untyped, payloads are what the caller expects; createComposables<Topics>() types them.
export type MessagesByTopic = Readonly<Record<string, Message<any>>>;

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

/** The reducer of one ref: the newest message per topic, dropping the topic updated longest ago past `maxTopics`. */
function byTopic(maxTopics: number) {
  // Object keys keep insertion order except for numeric ones ('42' is a topic): order apart.
  const updated = new Set<string>();
  return {
    initial(): MessagesByTopic {
      updated.clear();
      return {};
    },
    reduce(state: MessagesByTopic, message: Message): MessagesByTopic {
      const { topic } = message;
      if (state[topic]?.id === message.id) return state;
      const next: Record<string, Message> = { ...state, [topic]: message };
      updated.delete(topic);
      updated.add(topic);
      if (updated.size > maxTopics) {
        const oldest = updated.values().next().value!;
        updated.delete(oldest);
        delete next[oldest];
      }
      return next;
    },
  };
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
  const maxTopics = options.maxTopics ?? 1000;
  if (!Number.isInteger(maxTopics) || maxTopics < 1) throw invalidMaxTopics(toValue(pattern), maxTopics);
  const topics = byTopic(maxTopics);
  return messageRef<MessagesByTopic>({
    fn: 'useRetained',
    bus: resolveBus('useRetained', options.bus),
    pattern,
    retained: true,
    initial: topics.initial,
    reduce: topics.reduce,
  });
}
