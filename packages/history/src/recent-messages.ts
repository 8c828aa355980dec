import { topicMatches, type Message } from '@switchboard/bus';

/**
 * The last messages this tab saw, published here or arriving from other tabs. A replay merges them
 * with what it reads: another tab's message can reach this tab before that tab's write of it is
 * committed (its batch waits behind the one in flight), and a replay that starts in between finds
 * it neither stored nor live. Bounded: only the newest `capacity` are kept.
 */
export interface RecentMessages {
  add(message: Message): void;
  /** Kept messages matching `pattern` with `ts >= since` and `ts > expiredUntil`, oldest seen first. */
  matching(pattern: string, since: number, expiredUntil: number): Message[];
}

export function createRecentMessages(capacity: number): RecentMessages {
  const ring = new Array<Message | undefined>(capacity).fill(undefined);
  let next = 0;
  return {
    add(message) {
      ring[next] = message;
      next = next + 1 === capacity ? 0 : next + 1;
    },
    matching(pattern, since, expiredUntil) {
      const found: Message[] = [];
      for (let step = 0; step < capacity; step++) {
        const message = ring[(next + step) % capacity];
        if (message === undefined || message.ts < since || message.ts <= expiredUntil) continue;
        if (topicMatches(pattern, message.topic)) found.push(message);
      }
      return found;
    },
  };
}
