/**
 * The last `capacity` message ids seen, for removing duplicates: QoS 1 redeliveries, overlapping
 * subscriptions, a takeover resending what the previous connection tab had sent, and the bridge's
 * own messages coming back. Bounded: the oldest id is forgotten first.
 */
export interface IdWindow {
  has(id: string): boolean;
  /** Remembers `id`; false when it was already there. */
  add(id: string): boolean;
  readonly size: number;
}

/** Creates an empty window of at most `capacity` ids. */
export function createIdWindow(capacity: number): IdWindow {
  const ids = new Set<string>();
  const ring: string[] = new Array(capacity);
  let next = 0;
  return {
    has: (id) => ids.has(id),
    add(id) {
      if (ids.has(id)) return false;
      const evicted = ring[next];
      if (evicted !== undefined) ids.delete(evicted);
      ring[next] = id;
      next = (next + 1) % capacity;
      ids.add(id);
      return true;
    },
    get size() {
      return ids.size;
    },
  };
}
