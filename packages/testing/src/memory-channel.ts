/**
 * An in-memory stand-in for BroadcastChannel: channels created from one hub with the same name
 * reach each other like tabs of one origin do, inside one process. Messages are structured-cloned
 * (so what cannot cross a real channel fails here too), delivered in post order, never to the
 * sender, and asynchronously; `hub.flush()` waits until everything posted is delivered.
 */

/**
 * The part of BroadcastChannel a transport uses: `@switchboard/cross-tab` declares the same shape,
 * so a memory channel can be its `channelFactory`'s result.
 */
export interface ChannelLike {
  readonly name: string;
  postMessage(data: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** A channel of a {@link MemoryChannelHub}. */
export interface MemoryChannel extends ChannelLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  readonly closed: boolean;
}

/** A set of linked channels, like the tabs of one origin. */
export interface MemoryChannelHub {
  /** A new channel; pass it where a `channelFactory` is accepted: `{ channelFactory: hub.create }`. */
  create(name: string): MemoryChannel;
  /** Resolves once every message posted so far (and any posted while delivering) is delivered. */
  flush(): Promise<void>;
  /** Messages posted through the hub so far. */
  readonly posted: number;
}

/**
 * Creates a hub of linked in-memory channels.
 *
 * @example
 * import { createMemoryChannelHub } from '@switchboard/testing';
 * const hub = createMemoryChannelHub();
 * const a = hub.create('app');
 * const b = hub.create('app');
 * b.onmessage = (event) => console.log(event.data);
 * a.postMessage({ hello: 'tab b' });
 * await hub.flush();
 */
export function createMemoryChannelHub(): MemoryChannelHub {
  const channels = new Set<MemoryChannelImpl>();
  const queue: Array<{ from: MemoryChannelImpl; data: unknown }> = [];
  let scheduled = false;
  let posted = 0;
  let idle: Promise<void> = Promise.resolve();
  let settle: () => void = () => {};

  function deliverAll(): void {
    while (queue.length > 0) {
      const { from, data } = queue.shift()!;
      for (const channel of [...channels]) {
        if (channel !== from && channel.name === from.name && !channel.closed) {
          // Each receiver gets its own copy, as with a real channel.
          channel.receive(structuredClone(data));
        }
      }
    }
    scheduled = false;
    settle();
  }

  class MemoryChannelImpl implements MemoryChannel {
    readonly name: string;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    closed = false;
    private readonly listeners = new Set<(event: { data: unknown }) => void>();

    constructor(name: string) {
      this.name = name;
    }

    postMessage(data: unknown): void {
      if (this.closed) throw new DOMException('BroadcastChannel is closed.', 'InvalidStateError');
      // Clone now, as the platform does, so DataCloneError is thrown to the poster.
      queue.push({ from: this, data: structuredClone(data) });
      posted++;
      if (!scheduled) {
        scheduled = true;
        idle = new Promise((resolve) => (settle = resolve));
        queueMicrotask(deliverAll);
      }
    }

    addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
      this.listeners.add(listener);
    }

    removeEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
      this.listeners.delete(listener);
    }

    close(): void {
      this.closed = true;
      channels.delete(this);
    }

    receive(data: unknown): void {
      const event = { data };
      this.onmessage?.(event);
      for (const listener of [...this.listeners]) listener(event);
    }
  }

  return {
    create(name) {
      const channel = new MemoryChannelImpl(name);
      channels.add(channel);
      return channel;
    },
    async flush() {
      // Delivering may post more (replies); wait until the queue stays empty.
      while (scheduled) await idle;
    },
    get posted() {
      return posted;
    },
  };
}
