import type { Message } from '@switchboard/bus';
import { useSyncExternalStore } from 'react';
import type { AnyBus } from './bus.ts';
import { invalidMaxTopics } from './errors.ts';
import { createMessageStore } from './message-store.ts';
import { useResolvedBus } from './switchboard-provider.ts';
import { useKept } from './use-kept.ts';

/** The latest message of each topic, by topic. */
// biome-ignore lint/suspicious/noExplicitAny: untyped, payloads are what the caller expects; createHooks<Topics>() types them.
export type MessagesByTopic = Readonly<Record<string, Message<any>>>;

/** Options of {@link useRetained}. */
export interface UseRetainedOptions {
  /** The bus to listen on. @default the nearest `SwitchboardProvider`'s */
  bus?: AnyBus | undefined;
  /**
   * Most topics kept; past it the topic updated longest ago is dropped (a pattern with ids in it
   * can match without end).
   * @default 1000
   */
  maxTopics?: number | undefined;
}

const EMPTY: MessagesByTopic = Object.freeze({});
const serverSnapshot = (): MessagesByTopic => EMPTY;

/** The reducer of one store: the newest message per topic, dropping the topic updated longest ago past `maxTopics`. */
function byTopic(maxTopics: number) {
  // Object keys keep insertion order except for numeric ones ('42' is a topic): order apart.
  const updated = new Set<string>();
  return (state: MessagesByTopic, message: Message): MessagesByTopic => {
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
  };
}

/**
 * The retained message of every topic matching `pattern`, then the latest live one, as an object
 * by topic (`attachRetained` from `@switchboard/bus/retained` must be on the tab's bus). The first
 * client render already holds the retained messages; server rendering and hydration return an
 * empty object. Each change is a new object, so it can be a dependency of `useMemo`.
 *
 * @example
 * import { useRetained } from '@switchboard/react';
 * function StockTable() {
 *   const stock = useRetained('inventory.stock.+');
 *   return <ul>{Object.values(stock).map((m) => <li key={m.topic}>{m.payload.sku}: {m.payload.available}</li>)}</ul>;
 * }
 */
export function useRetained(pattern: string, options: UseRetainedOptions = {}): MessagesByTopic {
  const bus = useResolvedBus('useRetained', options.bus);
  const maxTopics = options.maxTopics ?? 1000;
  if (!Number.isInteger(maxTopics) || maxTopics < 1) throw invalidMaxTopics(pattern, maxTopics);
  const store = useKept(
    () => createMessageStore({ bus, pattern, retained: true, initial: EMPTY, reduce: byTopic(maxTopics) }),
    [bus, pattern, maxTopics],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}
