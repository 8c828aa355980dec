import {
  SwitchboardError,
  type AdapterLink,
  type Handler,
  type Message,
  type PubSubBus,
  type SubscribeOptions,
  type Unsubscribe,
} from '@switchboard/bus';
import { FrameRefusedError } from './errors.ts';
import { createPortWriter, type PortWriter } from './port-writer.ts';
import { readPortMessage, type PortMessage } from './protocol.ts';
import { mirrorTabState } from './tab-state.ts';
import type { PortLike } from './window-like.ts';

/** Where a frame's own handle reports its denials; the host republishes them for the app. */
const DENIED_TOPIC = '$sys.app.denied';
/** Messages kept while the frame rejoins its host; past this the oldest are dropped and reported. */
const MAX_WAITING = 1000;

/** The frame's end of the port, attached to the frame's local bus. */
export interface FramePort {
  /** Starts (or, after a rejoin, restarts) over `port`: the frame's patterns are asked for again. */
  open(port: PortLike): void;
  /** True while a port is open. */
  readonly connected: boolean;
  /**
   * Subscribes on the local bus and asks the host for `pattern` while the subscription lasts:
   * the wrapper that the frame's handle subscribes through.
   */
  subscribe(pattern: string, handler: Handler<never>, options?: SubscribeOptions): Unsubscribe;
  /** Asks the host's history for `pattern`; rejects with the host's error, or `TARGET_GONE`. */
  query(pattern: string, options: Record<string, unknown>): Promise<Message[]>;
  /** Says goodbye and drops the port; `open` may start again later (back/forward cache). */
  leave(): void;
  /** Leaves and detaches from the bus for good. */
  close(): void;
}

/** What the frame port needs to know and reports. */
export interface FramePortEvents {
  /** The host's origin, for reports. */
  readonly hostOrigin: string;
  /** The host said goodbye (it closed the connection, or thought the frame gone). */
  onBye(): void;
}

/**
 * Connects a frame's local bus to its host: what the frame publishes goes up the port (the host
 * publishes it as the frame's app), what the host sends for the frame's patterns comes down and
 * is injected, heartbeats are answered, and `bus.flush()` waits for the host's own flush.
 */
export function createFramePort(bus: PubSubBus, events: FramePortEvents): FramePort {
  // Reported once each, then only counted.
  const counts = { malformed: 0, dropped: 0 };
  const patterns = new Map<string, number>();
  const flushes = new Map<number, () => void>();
  const queries = new Map<
    number,
    { pattern: string; resolve(messages: Message[]): void; reject(error: unknown): void }
  >();
  let waiting: PortMessage[] = [];
  let link!: AdapterLink;
  let mirror: ReturnType<typeof mirrorTabState> | undefined;
  let port: PortLike | undefined;
  let writer: PortWriter | undefined;
  let flushSeq = 0;
  let querySeq = 0;

  function send(message: PortMessage): void {
    if (writer !== undefined) {
      writer.write(message);
      return;
    }
    if (message.t !== 'pub' && message.t !== 'denied') return;
    waiting.push(message);
    if (waiting.length > MAX_WAITING) {
      waiting.shift();
      if (++counts.dropped === 1) {
        link.reportError(
          new SwitchboardError(
            'PAYLOAD_TOO_LARGE',
            `joinHost('${bus.app}'): more than ${MAX_WAITING} messages were published while the frame was rejoining its host; the oldest are dropped.`,
          ),
          { kind: 'adapter', adapter: 'frame-port' },
        );
      }
    }
  }

  function receive(data: unknown): void {
    const batch = Array.isArray(data) ? data : [data];
    for (const item of batch) {
      const message = readPortMessage(item);
      if (message === undefined) {
        malformed();
        continue;
      }
      switch (message.t) {
        case 'msg':
          link.inject(message.m);
          break;
        case 'ping':
          writer?.write({ t: 'pong', n: message.n });
          break;
        case 'refused':
          link.reportError(refusal(message), { kind: 'adapter', adapter: 'frame-port' });
          break;
        case 'flushed':
          flushes.get(message.n)?.();
          break;
        case 'result':
          answered(message);
          break;
        case 'state':
          mirror?.update(message);
          break;
        case 'bye':
          drop();
          events.onBye();
          return;
        default:
          malformed();
      }
    }
  }

  function malformed(): void {
    // The host is trusted, so this is a version mismatch: the first one says so, the rest count.
    if (counts.malformed++ > 0) return;
    link.reportError(
      new FrameRefusedError(
        'malformed',
        events.hostOrigin,
        `joinHost('${bus.app}'): ignored a message from the host at ${events.hostOrigin} that this copy of @switchboard/frame cannot read; are the host and the frame on compatible versions?`,
      ),
      { kind: 'adapter', adapter: 'frame-port' },
    );
  }

  function answered(message: Extract<PortMessage, { t: 'result' }>): void {
    const query = queries.get(message.n);
    if (query === undefined) return;
    queries.delete(message.n);
    if (message.error === undefined) {
      query.resolve([...(message.messages ?? [])]);
      return;
    }
    const error = new SwitchboardError(
      message.error.code,
      `getHistory('${query.pattern}'): the host answered: ${message.error.message}`,
    );
    error.name = message.error.name;
    query.reject(error);
  }

  function gone(pattern: string): SwitchboardError {
    return new SwitchboardError(
      'TARGET_GONE',
      `getHistory('${pattern}'): this frame is not connected to its host (it left, or is joining again); try again once it is back.`,
    );
  }

  function refusal(message: Extract<PortMessage, { t: 'refused' }>): SwitchboardError {
    const error = new SwitchboardError(message.code, `the host refused what this frame sent: ${message.message}`);
    error.name = message.name;
    return error;
  }

  function drop(): void {
    if (port === undefined) return;
    port.onmessage = null;
    port.close();
    writer?.close();
    port = undefined;
    writer = undefined;
    // The host is gone: whoever waits for its flush stops waiting, its queries fail.
    for (const done of [...flushes.values()]) done();
    flushes.clear();
    for (const query of [...queries.values()]) query.reject(gone(query.pattern));
    queries.clear();
  }

  function leave(): void {
    if (writer !== undefined) {
      writer.write({ t: 'bye' });
      writer.flush();
    }
    drop();
  }

  const detach = bus.attach({
    name: 'frame-port',
    connect: (connected) => {
      link = connected;
      mirror = mirrorTabState(connected);
    },
    onPublish(message: Message) {
      if (message.topic === DENIED_TOPIC) {
        const denial = message.payload as { action: string; subject: string; rule: string };
        send({ t: 'denied', action: denial.action, subject: denial.subject, rule: denial.rule });
        return;
      }
      send({ t: 'pub', topic: message.topic, payload: message.payload, meta: message.meta });
    },
    flush() {
      if (writer === undefined) return Promise.resolve();
      const n = ++flushSeq;
      const done = new Promise<void>((resolve) => flushes.set(n, resolve)).finally(() => flushes.delete(n));
      writer.write({ t: 'flush', n });
      return done;
    },
    disconnect: () => {
      drop();
      mirror?.withdraw();
    },
  });

  function ask(pattern: string): () => void {
    const count = patterns.get(pattern) ?? 0;
    patterns.set(pattern, count + 1);
    if (count === 0) writer?.write({ t: 'sub', pattern });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (patterns.get(pattern) ?? 1) - 1;
      if (left > 0) {
        patterns.set(pattern, left);
        return;
      }
      patterns.delete(pattern);
      writer?.write({ t: 'unsub', pattern });
    };
  }

  return {
    open(next) {
      drop();
      port = next;
      const current = createPortWriter(next, (error) =>
        link.reportError(error, { kind: 'adapter', adapter: 'frame-port' }),
      );
      writer = current;
      next.onmessage = (event) => {
        if (writer === current) receive(event.data);
      };
      for (const pattern of patterns.keys()) current.write({ t: 'sub', pattern });
      const queued = waiting;
      waiting = [];
      for (const message of queued) current.write(message);
    },
    get connected() {
      return port !== undefined;
    },
    subscribe(pattern, handler, options) {
      const off = bus.subscribe(pattern, handler, options);
      if (options?.signal?.aborted) return off;
      const release = ask(pattern);
      options?.signal?.addEventListener('abort', release, { once: true });
      return () => {
        off();
        release();
        options?.signal?.removeEventListener('abort', release);
      };
    },
    query(pattern, options) {
      if (writer === undefined) return Promise.reject(gone(pattern));
      const n = ++querySeq;
      const answer = new Promise<Message[]>((resolve, reject) => queries.set(n, { pattern, resolve, reject }));
      writer.write({ t: 'query', n, pattern, options });
      return answer;
    },
    leave,
    close() {
      leave();
      detach();
    },
  };
}
