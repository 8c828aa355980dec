/**
 * The parts of `Window`, `MessagePort` and `MessageChannel` the bridge uses. Real browser objects
 * fit them; unit tests pass fakes of the same shape instead, so no test needs a browser.
 */

/** A `message` event as the bridge reads it. */
export interface MessageEventLike {
  readonly data: unknown;
  /** The sender's origin (window messages only). */
  readonly origin?: string;
  /** The sending window (window messages only). */
  readonly source?: unknown;
  /** Ports transferred with the message. */
  readonly ports?: readonly PortLike[];
}

/** A window to post to: a frame's `contentWindow`, or `window.parent`. */
export interface TargetWindowLike {
  postMessage(message: unknown, targetOrigin: string, transfer?: PortLike[]): void;
}

/** The window whose `message` events a side of the bridge listens to. */
export interface ListeningWindowLike {
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

/** One end of a `MessageChannel`. */
export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEventLike) => void) | null;
  close(): void;
}

/** Makes a new pair of connected ports; `() => new MessageChannel()` in a browser. */
export type ChannelFactory = () => { readonly port1: PortLike; readonly port2: PortLike };

/** An `<iframe>` as the host sees it: its window, or null once it was removed from the page. */
export interface FrameElementLike {
  readonly contentWindow: TargetWindowLike | null;
}

/** Opens a real `MessageChannel`; read lazily so loading the module touches no browser API. */
export function openMessageChannel(): { port1: PortLike; port2: PortLike } {
  return new globalThis.MessageChannel() as unknown as { port1: PortLike; port2: PortLike };
}
