import { SwitchboardError, TimeoutError, type Clock } from '@switchboard/bus';
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
  /**
   * The parent's origin where the browser tells it (`location.ancestorOrigins`, the referrer):
   * hellos then go to that origin alone, not to every pinned one (each miss is a console error).
   */
  readonly parentOrigin?: string | undefined;
  readonly clock: Clock;
  /** `fn` for error messages: `joinHost('orders')`. */
  readonly caller: string;
  refuse(reason: RefusalReason, origin: string, text: string): void;
}

/** The frame side of the handshake, reusable when the frame joins again. */
export interface Joiner {
  /**
   * Says hello (now, then again with growing pauses, at least once a second) until a host
   * welcomes this frame; rejects with a `TimeoutError` after `timeoutMs` (`Infinity`: never).
   */
  join(timeoutMs: number): Promise<Welcome>;
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
  const targets =
    options.parentOrigin !== undefined && origins.includes(options.parentOrigin) ? [options.parentOrigin] : origins;
  let pending: { nonce: string; resolve(welcome: Welcome): void; reject(error: unknown): void } | undefined;
  let closed = false;

  function hello(nonce: string): void {
    const message = windowMessage({ type: 'hello', role: options.role, app: options.app, nonce });
    // The browser delivers only the post whose target origin is the parent's.
    for (const origin of targets) parent.postMessage(message, origin);
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
      if (closed) return Promise.reject(aborted(caller));
      // A newer hello replaces an older one: only the latest nonce is answered.
      pending?.reject(aborted(caller));
      return new Promise<Welcome>((resolve, reject) => {
        const nonce = createNonce();
        const started = clock.now();
        let timer: unknown;
        let attempt = 0;
        const current = {
          nonce,
          resolve(welcome: Welcome) {
            clock.clearTimeout(timer);
            resolve(welcome);
          },
          reject(error: unknown) {
            clock.clearTimeout(timer);
            reject(error);
          },
        };
        pending = current;
        const retry = (): void => {
          if (pending !== current) return;
          const waited = clock.now() - started;
          if (waited >= timeoutMs) {
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
          timer = clock.setTimeout(retry, Math.min(pause, timeoutMs - waited));
        };
        retry();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      options.self.removeEventListener('message', onMessage);
      const current = pending;
      pending = undefined;
      current?.reject(aborted(caller));
    },
  };
}

function aborted(caller: string): SwitchboardError {
  return new SwitchboardError('ABORTED', `${caller}: this frame stopped joining (it left, or joins anew).`);
}

/**
 * The parent's origin as the browser states it, when it does: `location.ancestorOrigins`
 * (Chromium, WebKit), else the referrer's origin (when the referrer policy keeps it).
 */
export function parentOriginOf(location: unknown, referrer: unknown): string | undefined {
  const ancestors = (location as { ancestorOrigins?: { readonly length: number; readonly [i: number]: string } })
    ?.ancestorOrigins;
  if (ancestors !== undefined && ancestors.length > 0) return ancestors[0];
  if (typeof referrer !== 'string' || referrer === '') return undefined;
  try {
    return new URL(referrer).origin;
  } catch {
    // A referrer that is no URL tells nothing: hellos then go to every pinned origin.
    return undefined;
  }
}
