import { deliverTo, type BusCore, type Subscription } from './bus-core.ts';
import { SwitchboardError } from './errors.ts';
import type { Message } from './message.ts';
import type { Handler } from './pub-sub-bus.ts';

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

/** Starts a subscription with `retained: true` through the tab's retained service. */
export function replayRetained(
  core: BusCore,
  service: unknown,
  fn: string,
  handler: Handler,
  subscription: Subscription,
): { handler: Handler; start(): () => void } {
  const { pattern } = subscription;
  if (service === undefined) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}('${pattern}', { retained: true }): call attachRetained(bus) from '@switchboard/bus/retained' first.`,
    );
  }
  return (service as RetainedService).replay(
    {
      pattern,
      deliver: (messages) => deliverTo(core, messages, handler, subscription),
      delivering: () => core.draining,
      queued: () => core.queue.slice(core.queueHead),
      later(task) {
        const done = Promise.resolve().then(task);
        core.pending.add(done);
        void done.finally(() => core.pending.delete(done));
      },
    },
    handler,
  );
}
