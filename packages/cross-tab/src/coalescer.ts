import type { Message } from '@switchboard/bus';

/** Options of {@link createCoalescer}. */
export interface CoalescerOptions {
  /** Posts one batch; called in publish order. */
  post(messages: Message[]): void;
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
  /** Schedules the automatic flush. @default queueMicrotask */
  schedule?: (callback: () => void) => void;
}

/** Collects the messages of a burst and posts them as few batches, in order. */
export interface Coalescer {
  /** Queues a message; `bytes` is its estimated size. */
  push(message: Message, bytes: number): void;
  /** Posts everything queued, now. */
  flush(): void;
  /** Messages waiting for the next flush. */
  readonly size: number;
}

/**
 * Creates a coalescer. Messages published in one synchronous run (a burst) are posted together
 * in a microtask, so batching adds no task of latency and never reorders anything.
 */
export function createCoalescer(options: CoalescerOptions): Coalescer {
  const maxMessages = options.maxMessages ?? 512;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const schedule = options.schedule ?? queueMicrotask;
  let queue: Message[] = [];
  let sizes: number[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (queue.length === 0) return;
    const messages = queue;
    const bytes = sizes;
    queue = [];
    sizes = [];
    let start = 0;
    let batchBytes = 0;
    for (let i = 0; i < messages.length; i++) {
      const size = bytes[i]!;
      if (i > start && (i - start >= maxMessages || batchBytes + size > maxBytes)) {
        options.post(messages.slice(start, i));
        start = i;
        batchBytes = 0;
      }
      batchBytes += size;
    }
    options.post(start === 0 ? messages : messages.slice(start));
  }

  return {
    push(message, bytes) {
      queue.push(message);
      sizes.push(bytes);
      if (scheduled) return;
      scheduled = true;
      schedule(() => {
        if (scheduled) flush();
      });
    },
    flush,
    get size() {
      return queue.length;
    },
  };
}
