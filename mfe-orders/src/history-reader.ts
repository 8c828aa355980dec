import type { Bus, Message, PayloadOf } from '@switchboard/bus';
import type { DemoTopics, ReplayingHistory } from '@switchboard/demo-contract';

/**
 * Subscribes `handler` to `pattern` with the history's replay when there is one (state is
 * rebuilt from the stored events, then kept current), else live only. Resolves once the replay
 * is delivered; if the replay fails it says so on the console and goes on live only. Aborting
 * `signal` unsubscribes, also while the replay is loading.
 */
export async function subscribeWithHistory<P extends string>(
  bus: Bus<DemoTopics>,
  history: ReplayingHistory | undefined,
  pattern: P,
  handler: (message: Message<PayloadOf<DemoTopics, P>>) => void,
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
