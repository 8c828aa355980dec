import type { PortMessage } from './protocol.ts';
import type { PortLike } from './window-like.ts';

/** Posts port messages: the first of a synchronous run at once, the rest as one array. */
export interface PortWriter {
  /** Posts `message`, or queues it behind others posted in the same synchronous run. */
  write(message: PortMessage): void;
  /** Posts what is queued now. */
  flush(): void;
  /** Stops writing; what is queued is dropped. */
  close(): void;
  /** Posts made, and the `postMessage` errors met (reported through `onError`). */
  readonly posts: number;
}

/**
 * Creates the writer of one port. A lone message waits for nothing; a burst (a frame's start-up
 * subscriptions, a host's replay) costs one structured clone and one event instead of one each.
 * A message that cannot be cloned fails its own post: it is reported and the others still go.
 */
export function createPortWriter(port: PortLike, onError: (error: unknown, message: PortMessage) => void): PortWriter {
  let queue: PortMessage[] = [];
  // True from a post until the microtask that ends its synchronous run.
  let running = false;
  let closed = false;
  let posts = 0;

  function post(data: PortMessage | PortMessage[]): void {
    try {
      port.postMessage(data);
      posts++;
    } catch (error) {
      if (!Array.isArray(data)) {
        onError(error, data);
        return;
      }
      // One bad payload must not sink the batch: post them one by one to find it.
      for (const message of data) post(message);
    }
  }

  function flush(): void {
    if (queue.length === 0 || closed) return;
    const batch = queue;
    queue = [];
    post(batch.length === 1 ? batch[0]! : batch);
  }

  return {
    write(message) {
      if (closed) return;
      if (running) {
        queue.push(message);
        return;
      }
      running = true;
      post(message);
      queueMicrotask(() => {
        running = false;
        flush();
      });
    },
    flush,
    close() {
      closed = true;
      queue = [];
    },
    get posts() {
      return posts;
    },
  };
}
