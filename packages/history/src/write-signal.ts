/**
 * Tells the other tabs of this origin that this tab writes to a database, and hears them say it.
 * GC keeps its chunks short while anyone writes, but a tab's writes reach another tab's bus only
 * through cross-tab, which a history does not require: without this, a tab writing on a bus of its
 * own looked quiet to GC, which then held the store for whole 10,000-record chunks.
 */
export interface WriteSignal {
  /** Says "writing" to the other tabs, at most once per {@link ANNOUNCE_EVERY_MS}. */
  announce(): void;
  close(): void;
}

/** Least time between two announcements of one tab: well under the quiet period GC waits for. */
export const ANNOUNCE_EVERY_MS = 20;

/**
 * Opens the signal of `dbName` (a `BroadcastChannel`, so tabs of the origin only, as IndexedDB).
 * `heard` runs when another tab announces; undefined where BroadcastChannel is missing.
 */
export function openWriteSignal(dbName: string, heard: () => void, now: () => number): WriteSignal | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  const channel = new BroadcastChannel(`switchboard.history.writes:${dbName}`);
  // Never keeps Node's event loop alive on its own.
  (channel as { unref?: () => void }).unref?.();
  channel.onmessage = heard;
  let last = -Infinity;
  return {
    announce() {
      const at = now();
      if (at - last < ANNOUNCE_EVERY_MS) return;
      last = at;
      channel.postMessage(0);
    },
    close: () => channel.close(),
  };
}
