import { deliverTo, type BusCore } from './bus-core.ts';
import { SwitchboardError } from './errors.ts';
import type { Message } from './message.ts';
import type { Handler, Unsubscribe } from './pub-sub-bus.ts';
import { subscribeHandler } from './subscription.ts';
import { assertPattern } from './topic.ts';

/** The service name under which `attachRetained` offers its {@link RetainedService}. */
export const RETAINED_SERVICE = 'retained';

/** What the bus lends the retained store for one subscription with `retained: true`. */
export interface ReplayTarget {
  readonly pattern: string;
  /** Delivers messages to this subscription only (never nested inside another handler). */
  deliver(messages: readonly Message[]): void;
  /** True while a delivery runs (the subscription is made from inside a handler). */
  delivering(): boolean;
  /** The messages queued for delivery after the current one. */
  queued(): readonly Message[];
  /** Runs `task` once the current delivery is over; `bus.flush()` waits for it. */
  later(task: () => void): void;
}

/**
 * What `attachRetained` (`@switchboard/bus/retained`) provides to its bus under the service name
 * `'retained'`. The bus hands it each subscription made with `retained: true`.
 */
export interface RetainedService {
  /**
   * Wraps `handler` so that it receives the retained messages first, then live ones; returns
   * the handler to subscribe and what to run once it is subscribed (which returns its stop).
   */
  replay(target: ReplayTarget, handler: Handler): { handler: Handler; start(): () => void };
  /** Forgets a topic in every tab. */
  clear(topic: string): void;
}

/**
 * Subscribes `handler` with `retained: true`: the tab's retained service replays the kept
 * messages to it first, then live ones follow with no gap and no duplicate. Returns its
 * `unsubscribe`, which also stops the service's watch.
 */
export function subscribeRetained(
  core: BusCore,
  service: unknown,
  pattern: string,
  handler: Handler,
  once: boolean,
  signal: AbortSignal | undefined,
  caller: string,
): Unsubscribe {
  if (service === undefined) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${caller}('${pattern}', { retained: true }): call attachRetained(bus) from '@switchboard/bus/retained' first.`,
    );
  }
  assertPattern(pattern, caller);
  let active = true;
  let stopWatching: (() => void) | undefined;
  const wrapped: Handler = once
    ? (message) => {
        unsubscribe();
        return handler(message);
      }
    : handler;
  const replay = (service as RetainedService).replay(
    {
      pattern,
      deliver: (messages) => deliverTo(core, messages, wrapped, pattern, () => active),
      delivering: () => core.draining,
      queued: () => core.queue.slice(core.queueHead),
      later(task) {
        const done = Promise.resolve().then(task);
        core.pending.add(done);
        void done.finally(() => core.pending.delete(done));
      },
    },
    wrapped,
  );
  // The signal is followed here, not by the plain subscription, so an abort also stops the watch.
  const off = subscribeHandler(core, pattern, replay.handler, undefined, caller);
  signal?.addEventListener('abort', unsubscribe, { once: true });
  function unsubscribe(): void {
    if (!active) return;
    active = false;
    off();
    signal?.removeEventListener('abort', unsubscribe);
    stopWatching?.();
  }
  const stop = replay.start();
  if (active) stopWatching = stop;
  else stop();
  return unsubscribe;
}
