import type { Message } from '@switchboard/bus';

/**
 * The part of `@switchboard/history` this app uses, declared structurally: the shell owns the
 * history adapter and passes it in, so this bundle never ships IndexedDB code.
 */
export interface ReplayingHistory {
  /** Stored messages matching `pattern`, then live ones: no gap, no duplicate. */
  subscribe(
    pattern: string,
    handler: (message: Message) => unknown,
    options?: { signal?: AbortSignal },
  ): Promise<() => void>;
}

/**
 * Subscribes `handler` to `pattern` with the history's replay when there is one (state is
 * rebuilt from the stored events, then kept current), else live only. Resolves once the replay
 * is delivered; if the replay fails it says so on the console and goes on live only. Aborting
 * `signal` unsubscribes, also while the replay is loading.
 */
export async function subscribeWithHistory(
  bus: {
    subscribe(pattern: string, handler: (message: Message) => unknown, options: { signal: AbortSignal }): unknown;
  },
  history: ReplayingHistory | undefined,
  pattern: string,
  handler: (message: Message) => void,
  signal: AbortSignal,
): Promise<void> {
  if (!history) {
    bus.subscribe(pattern, handler, { signal });
    return;
  }
  try {
    await history.subscribe(pattern, handler, { signal });
  } catch (error) {
    if (signal.aborted) return;
    console.error(`[switchboard demo] replay of '${pattern}' failed; continuing with live messages only:`, error);
    bus.subscribe(pattern, handler, { signal });
  }
}
