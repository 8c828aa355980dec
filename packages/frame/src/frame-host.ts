import { SwitchboardError, type AdapterLink, type Clock, type Message, type PubSubBus } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import {
  createConnection,
  type Connection,
  type ConnectionContext,
  type ConnectionSpec,
  type FrameConnectionState,
} from './connection.ts';
import { FrameRefusedError, type RefusalReason } from './errors.ts';
import { FRAME_JOINED, FRAME_LEFT, type FrameJoinedEvent, type FrameLeftEvent } from './frame-events.ts';
import { readWindowMessage, type FrameRole } from './protocol.ts';
import {
  openMessageChannel,
  type ChannelFactory,
  type ListeningWindowLike,
  type MessageEventLike,
} from './window-like.ts';

/** Options of {@link createFrameHost}. */
export interface FrameHostOptions {
  /**
   * The window whose `message` events carry the frames' handshakes.
   * @default globalThis.window
   */
  window?: ListeningWindowLike;
  /**
   * How often the host pings each frame. A frame that misses two pings in a row has left.
   * @default 1000
   */
  heartbeatMs?: number;
  /**
   * Timers for heartbeats (a fake clock in tests).
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Makes the channel whose second port each joining frame gets.
   * @default () => new MessageChannel()
   */
  channelFactory?: ChannelFactory;
}

/** Counters of a frame host, over all its connections. */
export interface FrameHostStats {
  /** Messages that spoke the protocol and were ignored, by reason (each reported through `onError`). */
  readonly refused: Readonly<Record<RefusalReason, number>>;
  readonly joins: number;
  readonly leaves: number;
  /** Connections not closed, connected or waiting for their frame. */
  readonly connections: number;
}

/** A frame as {@link FrameHost.frames} lists it. */
export interface FrameInfo {
  readonly app: string;
  readonly role: FrameRole;
  readonly state: FrameConnectionState;
  /** The joined document's origin, while connected. */
  readonly origin: string | undefined;
}

/** The host's side of the frames of one bus: the handshake listener and every connection. */
export interface FrameHostCore {
  readonly bus: PubSubBus;
  readonly link: AdapterLink;
  readonly clock: Clock;
  readonly heartbeatMs: number;
  /** Registers a connection for an element; its frame may then join. */
  connect(spec: ConnectionSpec): Connection;
  /** Calls `listener` with every message published on the bus (not injected ones) until removed. */
  observe(listener: (message: Message) => void): () => void;
  /** Reports an error through the bus's `onError`. */
  report(error: unknown): void;
  frames(): FrameInfo[];
  stats(): FrameHostStats;
  dispose(): void;
}

/** How many refusals of one reason are reported before they are only counted. */
const REPORTED_PER_REASON = 20;

/**
 * Creates the host side of one bus's frames: one `message` listener on the window, which hands
 * each handshake to the connection of the window that sent it. A handshake from any other window
 * is refused, counted and reported, never thrown.
 */
export function createFrameHostCore(bus: PubSubBus, options: FrameHostOptions = {}): FrameHostCore {
  const target = options.window ?? (globalThis as { window?: ListeningWindowLike }).window;
  if (target === undefined) {
    throw new SwitchboardError(
      'UNSUPPORTED',
      'createFrameHost(): there is no window here; frames are hosted by a page, or pass options.window.',
    );
  }
  const heartbeatMs = options.heartbeatMs ?? 1000;
  if (!(heartbeatMs > 0) || !Number.isFinite(heartbeatMs)) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `createFrameHost(): heartbeatMs must be a positive number of milliseconds, got ${String(heartbeatMs)}.`,
    );
  }
  const clock = options.clock ?? systemClock;
  const connections = new Set<Connection>();
  const refused: Record<RefusalReason, number> = { origin: 0, source: 0, app: 0, handshake: 0, malformed: 0 };
  const counts = { joins: 0, leaves: 0 };
  const observers = new Set<(message: Message) => void>();
  let link!: AdapterLink;
  let disposed = false;

  const detach = bus.attach({
    name: 'frame-host',
    connect: (connected) => {
      link = connected;
    },
    onPublish(message) {
      for (const observer of observers) observer(message);
    },
    disconnect: () => dispose(),
  });

  function report(error: unknown): void {
    link.reportError(error, { kind: 'adapter', adapter: 'frame-host' });
  }

  function refuse(reason: RefusalReason, origin: string, text: string): void {
    const count = ++refused[reason];
    if (count > REPORTED_PER_REASON) return;
    const suffix =
      count === REPORTED_PER_REASON ? ` (${REPORTED_PER_REASON} of this kind; more are only counted in stats())` : '';
    report(new FrameRefusedError(reason, origin, text + suffix));
  }

  function publish(topic: string, payload: FrameJoinedEvent | FrameLeftEvent): void {
    if (disposed || bus.disposed) return;
    try {
      link.publishSystem(topic, payload);
    } catch (error) {
      report(error);
    }
  }

  const context: ConnectionContext = {
    clock,
    channelFactory: options.channelFactory ?? openMessageChannel,
    heartbeatMs,
    refuse,
    reportError: report,
    joined(connection, origin) {
      counts.joins++;
      publish(FRAME_JOINED, { app: connection.spec.app, origin, role: connection.spec.role });
    },
    left(connection, origin, reason) {
      counts.leaves++;
      publish(FRAME_LEFT, { app: connection.spec.app, origin, role: connection.spec.role, reason });
    },
    // A closed connection's window counts as any other window from then on.
    closed: (connection) => void connections.delete(connection),
  };

  function onMessage(event: MessageEventLike): void {
    const reading = readWindowMessage(event.data);
    if (reading === 'foreign') return;
    for (const connection of connections) {
      if (connection.window() === event.source && event.source !== null) {
        connection.receiveWindowMessage(event, reading);
        return;
      }
    }
    refuse(
      'source',
      event.origin ?? 'null',
      `createFrameHost(): ignored a frame handshake from a window at ${event.origin ?? 'null'} that is no connected frame; connect its iframe with connectFrame() first.`,
    );
  }
  target.addEventListener('message', onMessage);

  function dispose(): void {
    if (disposed) return;
    disposed = true;
    target!.removeEventListener('message', onMessage);
    for (const connection of [...connections]) connection.close();
    connections.clear();
    detach();
  }

  return {
    bus,
    link,
    clock,
    heartbeatMs,
    connect(spec) {
      if (disposed) {
        throw new SwitchboardError('BUS_DISPOSED', `connectFrame('${spec.app}'): this frame host was disposed.`);
      }
      for (const connection of connections) {
        if (connection.spec.element === spec.element && connection.state !== 'closed') {
          throw new SwitchboardError(
            'INVALID_OPTION',
            `connectFrame('${spec.app}'): this iframe is already connected for app '${connection.spec.app}'; close that connection first.`,
          );
        }
      }
      const connection = createConnection(spec, context);
      connections.add(connection);
      return connection;
    },
    observe(listener) {
      observers.add(listener);
      return () => void observers.delete(listener);
    },
    report,
    frames: () =>
      [...connections].map((connection) => ({
        app: connection.spec.app,
        role: connection.spec.role,
        state: connection.state,
        origin: connection.origin,
      })),
    stats: () => ({ refused: { ...refused }, ...counts, connections: connections.size }),
    dispose,
  };
}
