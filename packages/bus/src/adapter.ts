import type { Clock } from './clock.ts';
import type { Message, PublishOptions } from './message.ts';

/** Where an error reported to the bus came from. */
export interface ErrorContext {
  /** What failed: a subscriber, an adapter, or the bus itself. */
  readonly kind: 'handler' | 'adapter' | 'bus';
  /** The message being handled or published, when there is one. */
  readonly message?: Message;
  /** The pattern of the failing subscription, for `kind: 'handler'`. */
  readonly pattern?: string;
  /** The adapter's name, for `kind: 'adapter'`. */
  readonly adapter?: string;
}

/**
 * The privileged side of a bus, handed to an adapter when it attaches. Only adapters can deliver
 * messages from elsewhere and publish Switchboard's own `$sys.` events.
 */
export interface AdapterLink {
  /** This bus's app name. */
  readonly app: string;
  /** This tab's id. */
  readonly tabId: string;
  /** The bus's clock, for adapters' timers. */
  readonly clock: Clock;
  /**
   * Delivers a message that was published elsewhere (another tab, another bus copy) to this bus's
   * subscribers, in order with local messages. Adapters do not see it in `onPublish`, so it is
   * never sent out or stored again.
   */
  inject(message: Message): void;
  /** Publishes a `$sys.` event from this tab; adapters see it in `onPublish` like any message. */
  publishSystem(topic: string, payload: unknown, options?: PublishOptions): Message;
  /**
   * Publishes for another app of this tab: `source` is stamped instead of this bus's app. For
   * hosts acting for an app (per-app handles, frames, a broker bridge). `$sys.` topics are
   * allowed, as with `publishSystem`.
   */
  publishAs(source: string, topic: string, payload: unknown, options?: PublishOptions): Message;
  /**
   * Runs every adapter's `admit` on a message that reaches this tab without being injected (a
   * history query or replay): false when one refused it. The refusing adapter reports why.
   */
  admit(message: Message): boolean;
  /** Reports an error through the bus's `onError` hook. */
  reportError(error: unknown, context: ErrorContext): void;
  /**
   * Offers a service to the bus's other adapters (cross-tab offers `'leadership'`, which history
   * reads to run GC in one tab only). Returns a function that withdraws it.
   */
  provide(name: string, service: unknown): () => void;
  /** A service another adapter provided, or undefined (look it up each time: adapters come and go). */
  lookup<T>(name: string): T | undefined;
}

/**
 * What cross-tab provides under the service name `'leadership'`: which tab is the leader. With no
 * such service a bus is alone, so its tab counts as leader.
 */
export interface Leadership {
  isLeader(): boolean;
  /** The current leader's tab id, if one is known. */
  leaderTabId(): string | undefined;
}

/**
 * A transport (cross-tab) or store (history) that plugs into a bus without the core knowing it.
 *
 * @example
 * import { createPubSub, type BusAdapter } from '@switchboard/bus';
 * const logger: BusAdapter = { name: 'logger', connect() {}, onPublish: (m) => console.log(m.topic) };
 * const detach = createPubSub({ app: 'shell' }).attach(logger);
 */
export interface BusAdapter {
  /** Used in error messages and diagnostics. */
  readonly name: string;
  /**
   * Set by an adapter that structured-clones every message it sees (posts it to other tabs, stores
   * it) to `confirmCloneable` from `@switchboard/bus`. While such an adapter is attached, `publish`
   * runs it once per message and refuses, before any delivery, what does not clone — a Proxy
   * included, which no cheaper check can tell from a plain object. The adapter hands the check
   * over, so a bus without one does not ship it.
   * @default undefined (no clone at publish)
   * @example
   * import { confirmCloneable, type BusAdapter } from '@switchboard/bus';
   * const store: BusAdapter = { name: 'store', clones: confirmCloneable, connect() {} };
   */
  readonly clones?: (message: Message) => void;
  /** Called once by `bus.attach()`. */
  connect(link: AdapterLink): void;
  /**
   * Called for every local publish before anything is delivered or sent. Throw a Switchboard
   * error to refuse the message (too large to send, not storable): `publish` then throws it and
   * nothing is delivered anywhere.
   */
  check?(message: Message): void;
  /**
   * Called for every message that comes from elsewhere (injected, or read from history through
   * `link.admit`) before anything sees it. Return false to drop it (a payload that breaks its
   * topic's schema); report why through `link.reportError`. A throw drops it too, and is reported.
   */
  admit?(message: Message): boolean;
  /** Sees every message published in this tab (including `$sys.` events), in publish order. */
  onPublish?(message: Message): void;
  /**
   * Sees every message an adapter injected (from another tab), before local subscribers do. A
   * store can tell from it that other tabs are active without storing their messages again.
   */
  onInject?(message: Message): void;
  /** Resolves when the adapter's outstanding work (sends, writes) is done; part of `bus.flush()`. */
  flush?(): Promise<void>;
  /** Called on detach and on `bus.dispose()`. */
  disconnect?(): void;
}
