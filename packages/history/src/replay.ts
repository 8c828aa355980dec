import type { Bus, Handler, Message, Unsubscribe } from '@switchboard/bus';
import type { HistoryQueryOptions } from './query-plan.ts';
import { compareMessages } from './schema.ts';

/**
 * Options of `history.subscribe`: what to replay before live messages.
 *
 * @example
 * import { createHistoryAdapter } from '@switchboard/history';
 * const history = createHistoryAdapter({ namespace: 'shop' });
 * const off = await history.subscribe('orders.#', render, { last: 20 });
 */
export interface ReplayOptions {
  /** Replays stored messages with `ts >= since` (ms since the epoch). */
  since?: number;
  /** Replays at most the last N stored messages (combined with `since`, the last N since then). */
  last?: number;
  /** Unsubscribes when aborted, also while the replay is still loading. */
  signal?: AbortSignal;
}

/** What a replaying subscription needs from its history. */
export interface ReplaySource {
  /** Where the live part subscribes: the full bus, or an app's handle. */
  readonly bus: Bus;
  /** Commits this tab's queued writes, so the query below sees everything published so far. */
  settle(): Promise<void>;
  query(pattern: string, options: HistoryQueryOptions): Promise<Message[]>;
  /** Messages this tab saw lately matching `pattern` (ts >= since), stored or not yet. */
  recent(pattern: string, since: number): Message[];
  /** Delivers one replayed message to the handler, reporting a throw or rejection like the bus. */
  deliver(handler: Handler<never>, message: Message, pattern: string): void;
}

// Another tab's message can be committed before it reaches this tab: it is then both replayed and
// delivered live a moment later. Ids replayed within this window of the newest one are remembered
// to drop that second copy.
const DEDUPE_WINDOW_MS = 10_000;

/**
 * Subscribes to `pattern` live first, buffering, then loads the stored messages, hands them to
 * `handler` oldest first, then the buffered live ones that were not among them, then goes live:
 * no gap (the live subscription predates the query) and no duplicate (ids are compared).
 */
export async function subscribeWithReplay(
  source: ReplaySource,
  pattern: string,
  handler: Handler<never>,
  options: ReplayOptions,
): Promise<Unsubscribe> {
  const { signal } = options;
  let active = true;
  let replaying = true;
  let buffer: Message[] = [];
  let replayed: Set<string> | undefined;
  let replayedUntil = -Infinity;

  const unsubscribeLive = source.bus.subscribe(
    pattern,
    (message: Message) => {
      if (!active) return undefined;
      if (replaying) {
        buffer.push(message);
        return undefined;
      }
      if (replayed !== undefined) {
        if (replayed.has(message.id)) return undefined;
        if (message.ts > replayedUntil + DEDUPE_WINDOW_MS) replayed = undefined;
      }
      return handler(message as never);
    },
    signal === undefined ? {} : { signal },
  );

  const unsubscribe: Unsubscribe = () => {
    active = false;
    buffer = [];
    replayed = undefined;
    unsubscribeLive();
  };
  signal?.addEventListener('abort', unsubscribe, { once: true });
  if (signal?.aborted) unsubscribe();

  let stored: Message[];
  try {
    await source.settle();
    const query: HistoryQueryOptions = {};
    if (options.since !== undefined) query.fromTime = options.since;
    if (options.last !== undefined) query.limit = options.last;
    stored = active ? await source.query(pattern, query) : [];
  } catch (error) {
    unsubscribe();
    throw error;
  }
  // What reached this tab before the live subscription but was not yet committed by the tab that
  // published it: in neither the query nor the buffer without this.
  const storedIds = new Set(stored.map((message) => message.id));
  const unstored = active
    ? source.recent(pattern, options.since ?? -Infinity).filter((message) => !storedIds.has(message.id))
    : [];
  if (unstored.length > 0) {
    stored = [...stored, ...unstored].sort(compareMessages);
    if (options.last !== undefined) stored = stored.slice(-options.last);
  }

  const seen = new Set<string>();
  for (const message of stored) {
    if (!active) break;
    seen.add(message.id);
    source.deliver(handler, message, pattern);
  }
  // Handlers may publish while this runs; what they publish is appended to `buffer` and delivered
  // here, in order, before going live.
  for (let i = 0; i < buffer.length && active; i++) {
    const message = buffer[i]!;
    if (!seen.has(message.id)) source.deliver(handler, message, pattern);
  }
  buffer = [];
  replaying = false;
  if (active && stored.length > 0) {
    replayedUntil = stored[stored.length - 1]!.ts;
    replayed = new Set(stored.filter((m) => m.ts >= replayedUntil - DEDUPE_WINDOW_MS).map((m) => m.id));
  }
  return unsubscribe;
}
