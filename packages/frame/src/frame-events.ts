import type { FrameLeaveReason } from './connection.ts';
import type { FrameRole } from './protocol.ts';

/**
 * Published by the host when a frame completes its handshake (also after a reload).
 *
 * @example
 * import { FRAME_JOINED, type FrameJoinedEvent } from '@switchboard/frame';
 * bus.subscribe<FrameJoinedEvent>(FRAME_JOINED, (m) => console.log(m.payload.app, 'joined from', m.payload.origin));
 */
export const FRAME_JOINED = '$sys.frame.joined';

/**
 * Published by the host when a frame leaves: it said goodbye (navigated away, reloaded, its page
 * closed), its element left the page, it missed two heartbeats, or the host closed it. Its
 * subscriptions are gone by then.
 */
export const FRAME_LEFT = '$sys.frame.left';

/** Payload of `$sys.frame.joined`. */
export interface FrameJoinedEvent {
  readonly app: string;
  /** The frame document's origin. */
  readonly origin: string;
  readonly role: FrameRole;
}

/**
 * Payload of `$sys.frame.left`. `reason`: `closed` (the frame said goodbye), `removed` (its
 * element left the page), `timeout` (two heartbeats unanswered), `rejoined` (a new document in
 * the frame said hello, e.g. after a reload), `disconnected` (the host closed the connection).
 */
export interface FrameLeftEvent {
  readonly app: string;
  readonly origin: string;
  readonly role: FrameRole;
  readonly reason: FrameLeaveReason;
}

/**
 * The `$sys.frame.` topics the host publishes, as a topic map.
 *
 * @example
 * import type { FrameSystemTopics } from '@switchboard/frame';
 * bus.subscribe<FrameSystemTopics['$sys.frame.left']>('$sys.frame.left', (m) => hidePanel(m.payload.app));
 */
export interface FrameSystemTopics {
  '$sys.frame.joined': FrameJoinedEvent;
  '$sys.frame.left': FrameLeftEvent;
}
