import type { Message } from './message.ts';

/** The last retained message per topic, oldest topic first, at most `maxTopics` of them. */
export interface RetainedStore {
  readonly size: number;
  get(topic: string): Message | undefined;
  /**
   * Keeps `message` as its topic's value unless a newer one is kept (a message from another tab
   * or from storage may be older). Returns whether it was kept, and the topics dropped to make
   * room.
   */
  keep(message: Message): { kept: boolean; dropped: Message[] };
  /** Forgets a topic; returns whether it was kept. */
  forget(topic: string): boolean;
  /** Kept messages whose topic matches `pattern`, oldest first. */
  matching(pattern: string): Message[];
  all(): Message[];
  clear(): void;
}

/** Creates a bounded store of retained messages. */
export function createRetainedStore(maxTopics: number): RetainedStore {
  // A Map keeps insertion order: re-inserting a topic on update makes the first key the oldest.
  const byTopic = new Map<string, Message>();
  return {
    get size() {
      return byTopic.size;
    },
    get: (topic) => byTopic.get(topic),
    keep(message) {
      const current = byTopic.get(message.topic);
      if (current !== undefined && (current.id === message.id || isNewer(current, message))) {
        return { kept: false, dropped: [] };
      }
      byTopic.delete(message.topic);
      byTopic.set(message.topic, message);
      const dropped: Message[] = [];
      for (const [topic, oldest] of byTopic) {
        if (byTopic.size <= maxTopics) break;
        byTopic.delete(topic);
        dropped.push(oldest);
      }
      return { kept: true, dropped };
    },
    forget: (topic) => byTopic.delete(topic),
    matching(pattern) {
      const found: Message[] = [];
      const segments = pattern.split('.');
      for (const message of byTopic.values()) {
        if (segmentsMatch(segments, message.topic)) found.push(message);
      }
      return found;
    },
    all: () => [...byTopic.values()],
    clear: () => byTopic.clear(),
  };
}

/** True when `a` was published after `b` (by time, then by id so every tab agrees). */
export function isNewer(a: Message, b: Message): boolean {
  return a.ts !== b.ts ? a.ts > b.ts : a.id > b.id;
}

/** MQTT matching of one topic against a pattern's segments (`+` one segment, `#` the rest). */
export function segmentsMatch(pattern: readonly string[], topic: string): boolean {
  const parts = topic.split('.');
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    if (segment === '#') {
      // Like the bus: `#` matches zero or more segments, but `$sys.` only when named.
      return i > 0 || parts[0] !== '$sys';
    }
    if (i >= parts.length) return false;
    if (segment === '+') {
      if (i === 0 && parts[0] === '$sys') return false;
      continue;
    }
    if (segment !== parts[i]) return false;
  }
  return pattern.length === parts.length;
}
