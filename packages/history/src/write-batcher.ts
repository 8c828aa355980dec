import type { Clock, Message } from '@switchboard/bus';

/** Options of {@link createWriteBatcher}. */
export interface WriteBatcherOptions {
  /** Writes one batch in one transaction. Must not reject: failures are reported inside. */
  readonly write: (batch: Message[]) => Promise<void>;
  /** 0 writes at the end of the current task (one transaction per synchronous burst). */
  readonly delayMs: number;
  /** A batch this large is written at once, without waiting for the burst to end. */
  readonly maxBatchSize: number;
  readonly clock: Clock;
}

/** Collects messages and writes them in batches. */
export interface WriteBatcher {
  add(message: Message): void;
  /** Writes what is queued now and resolves once it and every earlier write have committed. */
  flush(): Promise<void>;
  /** Messages queued or being written. */
  readonly pending: number;
}

/**
 * Groups the messages of a burst into one write. With `delayMs: 0` the batch closes in a
 * microtask, so a loop of 10,000 publishes becomes one transaction while a lone publish is
 * written without delay.
 */
export function createWriteBatcher(options: WriteBatcherOptions): WriteBatcher {
  const { write, delayMs, maxBatchSize, clock } = options;
  let queue: Message[] = [];
  let timer: unknown;
  let scheduled = false;
  let writing = 0;
  const inFlight = new Set<Promise<void>>();

  function drain(): void {
    if (scheduled && timer !== undefined) clock.clearTimeout(timer);
    scheduled = false;
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    writing += batch.length;
    const done = write(batch).finally(() => {
      writing -= batch.length;
      inFlight.delete(done);
    });
    inFlight.add(done);
  }

  return {
    add(message) {
      queue.push(message);
      if (queue.length >= maxBatchSize) {
        drain();
      } else if (!scheduled) {
        scheduled = true;
        if (delayMs > 0) timer = clock.setTimeout(drain, delayMs);
        else queueMicrotask(drain);
      }
    },
    async flush() {
      drain();
      // Only the writes started so far: under a steady stream of publishes, waiting for "no
      // write in flight" might never end.
      await Promise.all([...inFlight]);
    },
    get pending() {
      return queue.length + writing;
    },
  };
}
