import type { Clock, Message } from '@switchboard/bus';

/** Options of {@link createWriteBatcher}. */
export interface WriteBatcherOptions {
  /** Writes one batch in one transaction. Must not reject: failures are reported inside. */
  readonly write: (batch: Message[]) => Promise<void>;
  /** 0 writes at the end of the current task (one transaction per synchronous burst). */
  readonly delayMs: number;
  /** Most messages in one batch; a bigger backlog is written as several batches in a row. */
  readonly maxBatchSize: number;
  readonly clock: Clock;
}

/** Collects messages and writes them in batches, one batch at a time. */
export interface WriteBatcher {
  add(message: Message): void;
  /** Resolves once everything added so far is written (committed, or failed and reported). */
  flush(): Promise<void>;
  /** Messages queued or being written. */
  readonly pending: number;
}

/**
 * Groups messages into batches and keeps one batch in flight: what arrives while a batch commits
 * waits and becomes the next batch. IndexedDB runs read-write transactions on a store one at a
 * time, so a second transaction from this tab would only queue behind the first, and with several
 * tabs writing, many small transactions from each would queue behind one another. One in flight
 * per tab gives every writing tab one turn per round, and batches grow with the load.
 *
 * With `delayMs: 0` a batch closes in a microtask, so a loop of 10,000 publishes is one
 * transaction while a lone publish is written without delay.
 */
export function createWriteBatcher(options: WriteBatcherOptions): WriteBatcher {
  const { write, delayMs, maxBatchSize, clock } = options;
  let queue: Message[] = [];
  let timer: unknown;
  let scheduled = false;
  let inFlight: { readonly size: number; readonly done: Promise<void> } | undefined;
  // Resolved each time a batch ends, for flush() callers waiting on a later batch.
  let waiters: Array<{ readonly until: number; readonly resolve: () => void }> = [];
  // Messages added so far, and written (settled) so far: flush() waits until the second reaches the first.
  let added = 0;
  let settled = 0;

  function close(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    scheduled = false;
    timer = undefined;
    startNext();
  }

  function startNext(): void {
    if (inFlight !== undefined || queue.length === 0) return;
    const batch = queue.length <= maxBatchSize ? queue : queue.slice(0, maxBatchSize);
    queue = batch === queue ? [] : queue.slice(maxBatchSize);
    const finish = (): void => {
      inFlight = undefined;
      settled += batch.length;
      const ready = waiters.filter((waiter) => waiter.until <= settled);
      waiters = waiters.filter((waiter) => waiter.until > settled);
      for (const waiter of ready) waiter.resolve();
      // The next batch goes at once: it was collected while this one committed.
      startNext();
    };
    const done = write(batch).then(finish, (error: unknown) => {
      // `write` reports its own failures; a rejection is a bug, surfaced rather than lost.
      finish();
      throw error;
    });
    inFlight = { size: batch.length, done };
  }

  return {
    add(message) {
      queue.push(message);
      added++;
      if (inFlight !== undefined) return;
      if (queue.length >= maxBatchSize) {
        close();
      } else if (!scheduled) {
        scheduled = true;
        if (delayMs > 0) timer = clock.setTimeout(close, delayMs);
        else queueMicrotask(close);
      }
    },
    flush() {
      if (scheduled) close();
      // Only what was added so far: under a steady stream of publishes, waiting for "nothing
      // pending" might never end.
      if (settled >= added) return Promise.resolve();
      const until = added;
      return new Promise((resolve) => waiters.push({ until, resolve }));
    },
    get pending() {
      return queue.length + (inFlight?.size ?? 0);
    },
  };
}
