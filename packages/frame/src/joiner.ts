import { TimeoutError, type Clock } from '@switchboard/bus';
import type { RefusalReason } from './errors.ts';
import { createNonce, readWindowMessage, windowMessage, type FrameRole, type Grant } from './protocol.ts';
import type { ListeningWindowLike, MessageEventLike, PortLike, TargetWindowLike } from './window-like.ts';

/** A completed handshake: the port to the host and what it granted. */
export interface Welcome {
  readonly port: PortLike;
  readonly grant: Grant;
  /** The host's origin, one of the pinned ones. */
  readonly origin: string;
}

/** What the frame side of the handshake needs. */
export interface JoinerOptions {
  readonly role: FrameRole;
  readonly app: string;
  /** The host origins the frame trusts. */
  readonly origins: readonly string[];
  /** The frame's own window, whose `message` events carry the host's answers. */
  readonly self: ListeningWindowLike;
  /** The host: `window.parent`. */
  readonly parent: TargetWindowLike;
  readonly clock: Clock;
  /** `fn` for error messages: `joinHost('orders')`. */
  readonly caller: string;
  refuse(reason: RefusalReason, origin: string, text: string): void;
}

/** The frame side of the handshake, reusable when the host asks the frame to join again. */
export interface Joiner {
  /**
   * Says hello (now, then again with growing pauses) until a host welcomes this frame; rejects
   * with a `TimeoutError` after `timeoutMs`.
   */
  join(timeoutMs: number): Promise<Welcome>;
  /** Called when the host invites the frame while it is not joining (the host connected anew). */
  onInvite(listener: () => void): void;
  close(): void;
}

/** Pauses between hellos while no host answers: a host that connects late is found quickly. */
const RETRY_MS = [50, 100, 200, 400, 800, 1000];

/**
 * Creates the frame side of the handshake. A `welcome` counts only from the parent window, from
 * a pinned origin, echoing the nonce of this frame's latest hello, naming this frame's app and
 * carrying a port; anything else that speaks the protocol is refused, counted and reported.
 */
export function createJoiner(options: JoinerOptions): Joiner {
  const { origins, parent, clock, caller } = options;
  let pending: { nonce: string; resolve(welcome: Welcome): void; reject(error: unknown): void } | undefined;
  let inviteListener: (() => void) | undefined;
  let closed = false;

  function hello(nonce: string): void {
    const message = windowMessage({ type: 'hello', role: options.role, app: options.app, nonce });
    // One post per pinned origin: the browser delivers only the one that matches the parent.
    for (const origin of origins) parent.postMessage(message, origin);
  }

  function onMessage(event: MessageEventLike): void {
    const reading = readWindowMessage(event.data);
    if (reading === 'foreign') return;
    const origin = event.origin ?? 'null';
    if (event.source !== parent) {
      options.refuse(
        'source',
        origin,
        `${caller}: ignored a handshake message from a window at ${origin} that is not this frame's parent.`,
      );
      return;
    }
    if (!origins.includes(origin)) {
      options.refuse(
        'origin',
        origin,
        `${caller}: ignored a handshake message from the parent at ${origin}, which is not among the pinned host origins (${origins.join(', ')}).`,
      );
      return;
    }
    if (reading === 'malformed') {
      options.refuse('malformed', origin, `${caller}: ignored a malformed handshake message from ${origin}.`);
      return;
    }
    if (reading.type === 'invite') {
      if (pending === undefined) inviteListener?.();
      else hello(pending.nonce);
      return;
    }
    if (reading.type !== 'welcome' || pending === undefined || reading.nonce !== pending.nonce) {
      options.refuse(
        'handshake',
        origin,
        `${caller}: ignored a '${reading.type}' from ${origin} that answers no hello of this frame.`,
      );
      return;
    }
    const port = event.ports?.[0];
    if (port === undefined) {
      options.refuse('malformed', origin, `${caller}: ignored a welcome from ${origin} that carried no port.`);
      return;
    }
    if (reading.grant.app !== options.app) {
      options.refuse(
        'app',
        origin,
        `${caller}: the host at ${origin} welcomed app '${reading.grant.app}'; this frame is '${options.app}'. Check the app passed to connectFrame().`,
      );
      port.close();
      return;
    }
    const { resolve } = pending;
    pending = undefined;
    resolve({ port, grant: reading.grant, origin });
  }
  options.self.addEventListener('message', onMessage);

  return {
    join(timeoutMs) {
      if (closed) return Promise.reject(new TimeoutError('ABORTED', `${caller}: this frame stopped joining.`));
      return new Promise<Welcome>((resolve, reject) => {
        const nonce = createNonce();
        let timer: unknown;
        let attempt = 0;
        const started = clock.now();
        const settle = (): void => {
          clock.clearTimeout(timer);
        };
        pending = {
          nonce,
          resolve: (welcome) => {
            settle();
            resolve(welcome);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        };
        const current = pending;
        const retry = (): void => {
          if (pending !== current) return;
          if (clock.now() - started >= timeoutMs) {
            pending = undefined;
            current.reject(
              new TimeoutError(
                'TIMEOUT',
                `${caller}: no host at ${origins.join(' or ')} answered within ${timeoutMs} ms; does the host page call connectFrame() for this iframe with this frame's origin?`,
              ),
            );
            return;
          }
          hello(nonce);
          const pause = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!;
          timer = clock.setTimeout(retry, Math.min(pause, Math.max(0, timeoutMs - (clock.now() - started))));
        };
        retry();
      });
    },
    onInvite(listener) {
      inviteListener = listener;
    },
    close() {
      if (closed) return;
      closed = true;
      options.self.removeEventListener('message', onMessage);
      const current = pending;
      pending = undefined;
      current?.reject(new TimeoutError('ABORTED', `${caller}: this frame stopped joining.`));
    },
  };
}
