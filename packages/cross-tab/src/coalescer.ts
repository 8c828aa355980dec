import type { Message } from '@switchboard/bus';

/** Options of {@link createCoalescer}. */
export interface CoalescerOptions<O> {
  /** Posts one batch, with who published each message; called in publish order. */
  post(messages: Message[], owners: O[]): void;
  /**
   * Most messages per batch.
   * @default 512
   */
  maxMessages?: number;
  /**
   * Most estimated bytes per batch (a single larger message still goes, alone).
   * @default 1048576
   */
  maxBytes?: number;
  /** Schedules the end of a synchronous run. @default queueMicrotask */
  schedule?: (callback: () => void) => void;
}

/** Collects the messages of a burst and posts them as few batches, in order. */
export interface Coalescer<O> {
  /** Posts a message, or queues it when others were posted in the same synchronous run. */
  push(message: Message, bytes: number, owner: O): void;
  /** Posts everything queued, now. */
  flush(): void;
  /** Messages waiting for the next flush. */
  readonly size: number;
}

/**
 * Creates a coalescer. The first message of a synchronous run is posted at once, so a lone
 * message waits for nothing; the ones after it in the same run (a burst) are queued, each batch
 * posted as soon as it is full and the rest in a microtask at the end of the run. Everything is
 * posted after everything published before it.
 */
export function createCoalescer<O>(options: CoalescerOptions<O>): Coalescer<O> {
  const maxMessages = options.maxMessages ?? 512;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const schedule = options.schedule ?? queueMicrotask;
  let queue: Message[] = [];
  let owners: O[] = [];
  let queuedBytes = 0;
  // True from a post until the microtask that ends its synchronous run.
  let running = false;

  function endRun(): void {
    running = false;
    flush();
  }

  function flush(): void {
    if (queue.length === 0) return;
    const messages = queue;
    const from = owners;
    queue = [];
    owners = [];
    queuedBytes = 0;
    options.post(messages, from);
  }

  return {
    push(message, bytes, owner) {
      if (!running) {
        // Nothing is queued outside a run, so posting at once keeps the order.
        running = true;
        options.post([message], [owner]);
        schedule(endRun);
        return;
      }
      if (queue.length > 0 && queuedBytes + bytes > maxBytes) flush();
      queue.push(message);
      owners.push(owner);
      queuedBytes += bytes;
      // A full batch goes now: the other tabs start reading it while this run goes on.
      if (queue.length >= maxMessages) flush();
    },
    flush,
    get size() {
      return queue.length;
    },
  };
}
