import type { Clock } from '@switchboard/bus';
import type { GcResult, HistoryStore } from './history-store.ts';

/** Options of {@link createCollector}. */
export interface CollectorOptions {
  readonly store: HistoryStore;
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly maxMessages: number;
  /** A run completed. */
  readonly collected: (result: GcResult) => void;
  readonly log: (text: string) => void;
}

/**
 * One garbage collection at a time: expiry at `now - ttl`, then trimming to `maxMessages`. A call
 * while a run is under way joins that run instead of starting a second one.
 */
export function createCollector(options: CollectorOptions): () => Promise<GcResult> {
  const { store, clock, ttlMs, maxMessages, log } = options;
  let running: Promise<GcResult> | undefined;
  return () => {
    running ??= (async () => {
      const started = globalThis.performance?.now() ?? Date.now();
      try {
        const removed = await store.collect(clock.now() - ttlMs, maxMessages);
        const result = { ...removed, durationMs: (globalThis.performance?.now() ?? Date.now()) - started };
        log(
          `GC removed ${result.expired} expired and ${result.trimmed} over maxMessages in ${result.durationMs.toFixed(1)} ms`,
        );
        options.collected(result);
        return result;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
}
