import type { AnyTopicMap, TopicMap } from '@switchboard/bus';
import { createHistory } from './history-adapter.ts';
import type { HistoryAdapter } from './history-api.ts';
import type { HistoryOptions } from './history-options.ts';

/**
 * Creates a history kept in this tab's memory, with the same API and semantics (TTL, namespaces,
 * replay, limits). For unit tests and for apps that want replay without persistence.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createMemoryHistory } from '@switchboard/history';
 * const history = createMemoryHistory({ maxMessages: 500 });
 * await history.attach(createPubSub({ app: 'test' }));
 */
export function createMemoryHistory<M extends TopicMap = AnyTopicMap>(
  options: Omit<HistoryOptions, 'indexedDB' | 'dbName' | 'durability'> = {},
): HistoryAdapter<M> {
  return createHistory(options, 'memory') as HistoryAdapter<M>;
}
