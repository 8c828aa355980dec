/**
 * Fake windows for unit tests: enough of `postMessage` between a page and its frames to run the
 * handshake without a browser. A window's view from another window is one stable object (as a
 * WindowProxy is), the target origin is enforced, data is structured-cloned, transferred ports
 * travel as they are (Node's own MessageChannel), and delivery is a later task, as in a browser.
 */
import { vi } from 'vitest';
import type { ListeningWindowLike, MessageEventLike, PortLike, TargetWindowLike } from '../src/window-like.ts';

type Listener = (event: MessageEventLike) => void;

/** A fake window at `origin`. */
export interface FakeWindow extends ListeningWindowLike {
  readonly origin: string;
  /** How `viewer` sees this window: `iframe.contentWindow`, `window.parent`, `event.source`. */
  seenBy(viewer: FakeWindow): TargetWindowLike;
  /** Posts to `target` from this window, as its script would. */
  post(target: FakeWindow, data: unknown, targetOrigin: string, transfer?: PortLike[]): void;
  /** A new document: every listener of the old one is gone. */
  navigate(origin?: string): void;
  /** Fires a page lifecycle event (`pagehide`, `pageshow`) at this window's listeners of `type`. */
  fire(type: string, event: { persisted: boolean }): void;
  /** Messages posted to this window whose target origin did not match it. */
  readonly mismatched: number;
}

/** Creates a fake window. */
export function createFakeWindow(origin: string): FakeWindow {
  let listeners = new Set<Listener>();
  // Listeners of other events than `message`, by type.
  let others = new Map<string, Set<(event: unknown) => void>>();
  const views = new Map<FakeWindow, TargetWindowLike>();
  let mismatched = 0;
  let current = origin;

  const self: FakeWindow = {
    get origin() {
      return current;
    },
    addEventListener(type: string, listener: Listener) {
      if (type === 'message') listeners.add(listener);
      else others.set(type, (others.get(type) ?? new Set()).add(listener as (event: unknown) => void));
    },
    removeEventListener(type: string, listener: Listener) {
      if (type === 'message') listeners.delete(listener);
      else others.get(type)?.delete(listener as (event: unknown) => void);
    },
    seenBy(viewer) {
      let view = views.get(viewer);
      if (view === undefined) {
        view = { postMessage: (data, targetOrigin, transfer) => viewer.post(self, data, targetOrigin, transfer) };
        views.set(viewer, view);
      }
      return view;
    },
    post(target, data, targetOrigin, transfer) {
      const event: MessageEventLike = {
        data: structuredClone(data),
        origin: self.origin,
        source: self.seenBy(target),
        ports: transfer ?? [],
      };
      setImmediate(() => (target as FakeWindowInternal).deliver(event, targetOrigin));
    },
    navigate(next) {
      listeners = new Set();
      others = new Map();
      if (next !== undefined) current = next;
    },
    fire(type, event) {
      for (const listener of [...(others.get(type) ?? [])]) listener(event);
    },
    get mismatched() {
      return mismatched;
    },
  };
  (self as FakeWindowInternal).deliver = (event, targetOrigin) => {
    if (targetOrigin !== '*' && targetOrigin !== current) {
      mismatched++;
      return;
    }
    for (const listener of [...listeners]) listener(event);
  };
  return self;
}

interface FakeWindowInternal extends FakeWindow {
  deliver(event: MessageEventLike, targetOrigin: string): void;
}

/** A page at `hostOrigin` with one iframe whose document is at `frameOrigin`. */
export interface FakeEmbedding {
  readonly host: FakeWindow;
  readonly frame: FakeWindow;
  /** What the host page holds: the iframe element (set `contentWindow` to null to remove it). */
  readonly element: { contentWindow: TargetWindowLike | null };
  /** What the framed document holds: `window.parent`. */
  readonly parent: TargetWindowLike;
}

/** Creates a host page with one framed document. */
export function embed(hostOrigin: string, frameOrigin: string, host = createFakeWindow(hostOrigin)): FakeEmbedding {
  const frame = createFakeWindow(frameOrigin);
  return { host, frame, element: { contentWindow: frame.seenBy(host) }, parent: host.seenBy(frame) };
}

/** Resolves after every message and port event queued so far (and those they queue) ran. */
export async function settle(rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Retries `assertion` until it passes (each event-loop turn, up to 2 s): waiting on a condition. */
export function until(assertion: () => void): Promise<void> {
  return vi.waitFor(assertion, { interval: 1, timeout: 2000 });
}
