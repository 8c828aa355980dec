import type { Clock, Message } from '@switchboard/bus';

/** First wait before retrying spilled messages; doubles up to {@link SPILL_RETRY_MAX_MS}. */
export const SPILL_RETRY_MS = 1_000;
export const SPILL_RETRY_MAX_MS = 30_000;

/** How a retried write of spilled messages went. */
export type SpillWrite = 'stored' | 'quota' | 'failed';

/** Options of {@link createQuotaSpill}. */
export interface QuotaSpillOptions {
  readonly clock: Clock;
  /** Most messages kept; beyond it the oldest go (and are counted). */
  readonly capacity: number;
  /** Most messages one retry writes. */
  readonly chunkSize: number;
  /** Writes one chunk; resolves with how it went (never rejects). */
  readonly write: (messages: Message[]) => Promise<SpillWrite>;
  /** Everything spilled was written: the store takes writes again. */
  readonly onDrained: (written: number) => void;
  /** Messages dropped because the spill was full. */
  readonly onDropped: (count: number) => void;
}

/**
 * Where batches wait while the browser refuses writes for lack of space although the oldest
 * records were deleted (Chromium keeps deleted records' space until it compacts the database).
 * Batches are kept in order, in memory, up to `capacity` messages, and retried with backoff until
 * a write succeeds; then the rest is written in order and writes go to the store again.
 */
export interface QuotaSpill {
  /** True while batches go here instead of the store. */
  readonly active: boolean;
  /** Messages waiting. */
  readonly size: number;
  /** Starts spilling (if not yet) with `batch` and schedules a retry. */
  add(batch: readonly Message[]): void;
  /** The waiting messages, oldest first. */
  messages(): Message[];
  /** Cancels the retry timer; what waits stays until the next add. */
  stop(): void;
}

/** Creates an empty spill. */
export function createQuotaSpill(options: QuotaSpillOptions): QuotaSpill {
  const { clock, capacity, chunkSize } = options;
  let waiting: Message[] = [];
  let timer: unknown;
  let delay = SPILL_RETRY_MS;
  let retrying = false;
  let written = 0;

  function schedule(): void {
    if (timer !== undefined || retrying) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void retry();
    }, delay);
  }

  async function retry(): Promise<void> {
    retrying = true;
    try {
      while (waiting.length > 0) {
        const chunk = waiting.slice(0, chunkSize);
        const outcome = await options.write(chunk);
        if (outcome === 'quota') {
          delay = Math.min(delay * 2, SPILL_RETRY_MAX_MS);
          return;
        }
        // Stored, or failed for another reason (reported by `write`): either way it leaves.
        waiting = waiting.slice(chunk.length);
        if (outcome === 'stored') written += chunk.length;
      }
      delay = SPILL_RETRY_MS;
      const total = written;
      written = 0;
      options.onDrained(total);
    } finally {
      retrying = false;
      if (waiting.length > 0) schedule();
    }
  }

  return {
    get active() {
      return waiting.length > 0;
    },
    get size() {
      return waiting.length;
    },
    add(batch) {
      for (const message of batch) waiting.push(message);
      const excess = waiting.length - capacity;
      if (excess > 0) {
        waiting = waiting.slice(excess);
        options.onDropped(excess);
      }
      schedule();
    },
    messages() {
      return [...waiting];
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
