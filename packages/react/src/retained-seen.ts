import type { Message } from '@switchboard/bus';

/** Topics remembered per subscription; the retained store keeps 1000 by default. */
const MAX_TOPICS = 1024;

/**
 * The retained messages one hook has already handed to its handler, by topic. A subscription
 * with `retained: true` replays the retained messages each time it is made, and React makes it
 * again without a new component (StrictMode's second mount, fast refresh): the replay must not
 * reach the handler a second time.
 */
export interface RetainedSeen {
  /** True when `message` is a retained message this hook has delivered before; records it if not. */
  repeat(message: Message): boolean;
}

/** Remembers, per topic, the id of the last retained message delivered (bounded, oldest topic first out). */
export function createRetainedSeen(): RetainedSeen {
  const lastIds = new Map<string, string>();
  return {
    repeat(message) {
      if (message.meta.retain !== true) return false;
      if (lastIds.get(message.topic) === message.id) return true;
      lastIds.delete(message.topic);
      lastIds.set(message.topic, message.id);
      if (lastIds.size > MAX_TOPICS) lastIds.delete(lastIds.keys().next().value!);
      return false;
    },
  };
}
