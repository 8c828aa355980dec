import type { Clock } from '@switchboard/bus';
import type { RefusalReason } from './errors.ts';
import {
  readPortMessage,
  windowMessage,
  type FrameRole,
  type Grant,
  type PortMessage,
  type WindowReading,
} from './protocol.ts';
import { createPortWriter, type PortWriter } from './port-writer.ts';
import type { ChannelFactory, FrameElementLike, MessageEventLike, PortLike, TargetWindowLike } from './window-like.ts';

/** Why a frame left: see {@link FrameLeftEvent}. */
export type FrameLeaveReason = 'closed' | 'timeout' | 'removed' | 'rejoined' | 'disconnected';

/** Where a connection is: waiting for its frame to say hello, connected, or closed for good. */
export type FrameConnectionState = 'waiting' | 'connected' | 'closed';

/** Counters of one connection. */
export interface FrameConnectionStats {
  readonly app: string;
  readonly state: FrameConnectionState;
  /** Handshakes completed (the first join, and every rejoin after a reload). */
  readonly joins: number;
  /** Times the frame left, whatever the reason. */
  readonly leaves: number;
  /** Port messages read from the frame. */
  readonly received: number;
  /** Posts to the frame's port. */
  readonly posts: number;
  /** What the frame sent that the host refused: denied, invalid or malformed. */
  readonly refused: number;
}

/** The work done over one joined port: the app's handle, or a hub's relay. */
export interface Session {
  /** A port message from the frame (heartbeats and goodbyes are handled before). */
  receive(message: PortMessage): void;
  /** The frame left: drop its subscriptions and release what it holds. */
  close(): void;
}

/** What a connection needs from the host that owns it. */
export interface ConnectionContext {
  readonly clock: Clock;
  readonly channelFactory: ChannelFactory;
  readonly heartbeatMs: number;
  refuse(reason: RefusalReason, origin: string, text: string): void;
  reportError(error: unknown): void;
  joined(connection: Connection, origin: string): void;
  left(connection: Connection, origin: string, reason: FrameLeaveReason): void;
  /** The connection was closed for good: forget it. */
  closed(connection: Connection): void;
}

/** What the connection is for: its role, app, origins and the session it opens on each join. */
export interface ConnectionSpec {
  readonly role: FrameRole;
  readonly app: string;
  readonly origins: readonly string[];
  readonly element: FrameElementLike;
  grant(): Grant;
  openSession(writer: PortWriter, origin: string): Session;
  /** The connection was closed for good (by its owner, or with the frame host). */
  closed?(): void;
}

/** One framed document's link to the host, across its reloads. */
export interface Connection {
  readonly spec: ConnectionSpec;
  readonly state: FrameConnectionState;
  /** The joined document's origin, while connected. */
  readonly origin: string | undefined;
  /** The frame's window now (null once the element left the page). */
  window(): TargetWindowLike | null;
  /** A handshake message from this connection's window. */
  receiveWindowMessage(event: MessageEventLike, reading: Exclude<WindowReading, 'foreign'>): void;
  stats(): FrameConnectionStats;
  /** Ends the connection for good; the frame is told. */
  close(): void;
}

interface Joined {
  readonly nonce: string;
  readonly origin: string;
  readonly window: TargetWindowLike;
  readonly port: PortLike;
  readonly writer: PortWriter;
  readonly session: Session;
  timer: unknown;
  ping: number;
  awaiting: boolean;
  missed: number;
}

/**
 * Creates a connection. Joining: a `hello` from the element's window, from a pinned origin,
 * naming the registered app, gets a `welcome` and a port. Leaving: a `bye`, the element gone from
 * the page (checked every heartbeat), two heartbeats unanswered, or a new `hello` (the frame
 * reloaded). Each leave closes the session, so the frame's subscriptions go with it.
 */
export function createConnection(spec: ConnectionSpec, context: ConnectionContext): Connection {
  const counts = { joins: 0, leaves: 0, received: 0, refused: 0 };
  let joined: Joined | undefined;
  let closed = false;
  let posts = 0;

  function refuse(reason: RefusalReason, origin: string, text: string): void {
    counts.refused++;
    context.refuse(reason, origin, text);
  }

  function accept(event: MessageEventLike, nonce: string, origin: string): void {
    const target = event.source as TargetWindowLike;
    if (joined !== undefined) {
      // The same document asking again while its welcome is on the way: nothing to do.
      if (joined.nonce === nonce) return;
      leave('rejoined', false);
    }
    let session: Session;
    const { port1, port2 } = context.channelFactory();
    const writer = createPortWriter(port1, (error) => context.reportError(error));
    try {
      session = spec.openSession(writer, origin);
    } catch (error) {
      // The frame cannot be served (its handle could not be made): it stays waiting, told nothing.
      context.reportError(error);
      port1.close();
      port2.close();
      return;
    }
    const current: Joined = {
      nonce,
      origin,
      window: target,
      port: port1,
      writer,
      session,
      timer: undefined,
      ping: 0,
      awaiting: false,
      missed: 0,
    };
    joined = current;
    port1.onmessage = (portEvent) => {
      if (joined === current) receivePort(current, portEvent.data);
    };
    target.postMessage(windowMessage({ type: 'welcome', nonce, grant: spec.grant() }), origin, [port2]);
    counts.joins++;
    schedule(current);
    context.joined(connection, origin);
  }

  function receivePort(current: Joined, data: unknown): void {
    const batch = Array.isArray(data) ? data : [data];
    for (const item of batch) {
      if (joined !== current) return;
      const message = readPortMessage(item);
      if (message === undefined) {
        refuse(
          'malformed',
          current.origin,
          `connectFrame('${spec.app}'): ignored a malformed message on the port of the frame at ${current.origin}; is it running a compatible @switchboard/frame?`,
        );
        continue;
      }
      counts.received++;
      if (message.t === 'pong') {
        if (message.n === current.ping) {
          current.awaiting = false;
          current.missed = 0;
        }
      } else if (message.t === 'bye') {
        leave('closed', false);
      } else {
        current.session.receive(message);
      }
    }
  }

  function schedule(current: Joined): void {
    current.timer = context.clock.setTimeout(() => beat(current), context.heartbeatMs);
  }

  function beat(current: Joined): void {
    if (joined !== current) return;
    if (spec.element.contentWindow !== current.window) {
      leave('removed', false);
      return;
    }
    // Counted in beats, not milliseconds: a hidden tab may run its timers once a minute, and
    // the frame answers each ping as soon as it comes.
    if (current.awaiting && ++current.missed >= 2) {
      leave('timeout', true);
      return;
    }
    current.ping++;
    current.awaiting = true;
    current.writer.write({ t: 'ping', n: current.ping });
    schedule(current);
  }

  function leave(reason: FrameLeaveReason, tellFrame: boolean): void {
    const current = joined;
    if (current === undefined) return;
    joined = undefined;
    context.clock.clearTimeout(current.timer);
    posts += current.writer.posts;
    try {
      current.session.close();
    } catch (error) {
      context.reportError(error);
    }
    if (tellFrame) {
      current.writer.write({ t: 'bye' });
      current.writer.flush();
      posts++;
    }
    current.writer.close();
    current.port.onmessage = null;
    current.port.close();
    counts.leaves++;
    context.left(connection, current.origin, reason);
  }

  const connection: Connection = {
    spec,
    get state() {
      return closed ? 'closed' : joined === undefined ? 'waiting' : 'connected';
    },
    get origin() {
      return joined?.origin;
    },
    window: () => spec.element.contentWindow,
    receiveWindowMessage(event, reading) {
      const origin = event.origin ?? 'null';
      if (closed) return;
      if (!spec.origins.includes(origin)) {
        refuse(
          'origin',
          origin,
          `connectFrame('${spec.app}'): ignored a message from the frame at ${origin}, which is not among the pinned origins (${spec.origins.join(', ')}); was the frame navigated elsewhere?`,
        );
        return;
      }
      if (reading === 'malformed') {
        refuse(
          'malformed',
          origin,
          `connectFrame('${spec.app}'): ignored a malformed handshake from ${origin}; is the frame running a compatible @switchboard/frame?`,
        );
        return;
      }
      if (reading.type !== 'hello') {
        refuse(
          'handshake',
          origin,
          `connectFrame('${spec.app}'): ignored a '${reading.type}' from the frame at ${origin}; a frame only says hello.`,
        );
        return;
      }
      if (reading.role !== spec.role || reading.app !== spec.app) {
        refuse(
          'app',
          origin,
          `connectFrame('${spec.app}'): the frame at ${origin} claims to be ${reading.role === 'hub' ? 'a hub' : `app '${reading.app}'`}, but this iframe was registered for ${spec.role === 'hub' ? 'the hub' : `app '${spec.app}'`}; it is not connected.`,
        );
        return;
      }
      accept(event, reading.nonce, origin);
    },
    stats() {
      return {
        app: spec.app,
        state: connection.state,
        ...counts,
        posts: posts + (joined?.writer.posts ?? 0),
      };
    },
    close() {
      if (closed) return;
      // Closed first: the session's close sees `state === 'closed'` and knows it is for good.
      closed = true;
      leave('disconnected', true);
      context.closed(connection);
      spec.closed?.();
    },
  };
  return connection;
}
