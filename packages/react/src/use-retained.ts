import type { AnyBus } from '@switchboard/bus';
import { type MessagesByTopic, messagesByTopic, NO_MESSAGES } from '@switchboard/bus/internal';
import { useSyncExternalStore } from 'react';
import { createMessageStore } from './message-store.ts';
import { useResolvedBus } from './switchboard-provider.ts';
import { useKept } from './use-kept.ts';

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

const serverSnapshot = (): MessagesByTopic => NO_MESSAGES;

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
  const { maxTopics } = options;
  const store = useKept(() => {
    const topics = messagesByTopic(pattern, maxTopics);
    return createMessageStore({ bus, pattern, retained: true, initial: topics.initial(), reduce: topics.reduce });
  }, [bus, pattern, maxTopics]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}
