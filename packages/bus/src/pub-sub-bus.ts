import type { BusAdapter } from './adapter.ts';
import type { Message, PublishOptions } from './message.ts';
import type { AnyTopicMap, PayloadOf, TopicMap } from './topic-map.ts';
import type { WaitForOptions } from './wait-for.ts';

/** A subscriber. It may return a promise: `flush()` waits for it and a rejection is reported. */
export type Handler<T = unknown> = (message: Message<T>) => unknown;

/** Stops a subscription; after it returns the handler is never called again. */
export type Unsubscribe = () => void;

/** Options of `subscribe`. */
export interface SubscribeOptions {
  /** Unsubscribes when aborted. */
  signal?: AbortSignal;
  /**
   * Delivers the retained messages matching the pattern first (the last one kept per topic, from
   * this tab or any other), then live ones, with no gap and no duplicate. Needs
   * `attachRetained(bus)` from `@switchboard/bus/retained` on the tab's bus.
   * @default false
   */
  retained?: boolean;
}

/** Counters describing a bus, for diagnostics and tests. */
export interface BusStats {
  readonly published: number;
  readonly injected: number;
  /** Messages from elsewhere (injected, or read from history) that an adapter's `admit` refused. */
  readonly refused: number;
  readonly delivered: number;
  readonly handlerErrors: number;
  readonly loopsStopped: number;
  readonly subscriptions: number;
  readonly pendingHandlers: number;
  readonly cachedTopics: number;
  readonly adapters: readonly string[];
}

/**
 * What an app can do on a bus: the full bus ({@link PubSubBus}) and a per-app handle (`AppBus`
 * from `@switchboard/bus/apps`) both are one. `M` maps topics to payload types; without it any
 * topic takes any payload. Helpers, bindings and test kits accept a bus of any topic map
 * ({@link AnyBus}).
 *
 * @example
 * import { createPubSub, type Bus } from '@switchboard/bus';
 * function logOrders(bus: Bus): () => void {
 *   return bus.subscribe('orders.#', (m) => console.log(m.source, m.topic));
 * }
 * logOrders(createPubSub({ app: 'shell' }));
 */
export interface Bus<M extends TopicMap = AnyTopicMap> {
  /** The app whose name is stamped as `source` on what this bus publishes. */
  readonly app: string;
  /** This tab's id (`message.origin.tabId` of what this tab publishes). */
  readonly tabId: string;
  /**
   * Publishes a message and returns it. Delivery is synchronous unless a handler is running, in
   * which case the message is queued behind the one being handled.
   */
  publish<K extends keyof M & string>(topic: K, payload: M[K], options?: PublishOptions): Message<M[K]>;
  /** Subscribes to a pattern (`+` one segment, `#` zero or more trailing segments). */
  subscribe<P extends string>(pattern: P, handler: Handler<PayloadOf<M, P>>, options?: SubscribeOptions): Unsubscribe;
  /** Subscribes with an explicit payload type, as in `subscribe<Order>('orders.created', …)`. */
  subscribe<T>(pattern: string, handler: Handler<T>, options?: SubscribeOptions): Unsubscribe;
  /** Like `subscribe`, for the first matching message only. */
  once<P extends string>(pattern: P, handler: Handler<PayloadOf<M, P>>, options?: SubscribeOptions): Unsubscribe;
  /** Resolves with the next message matching the pattern (and predicate). */
  waitFor<P extends string>(pattern: P, options?: WaitForOptions<PayloadOf<M, P>>): Promise<Message<PayloadOf<M, P>>>;
  /**
   * Resolves once everything published so far is delivered, async handlers have settled and
   * adapters have finished their work (cross-tab posts, history writes).
   */
  flush(): Promise<void>;
  /** Removes every subscription made through this bus; later calls to `publish`/`subscribe` throw. */
  dispose(): void;
  /** True after `dispose()`. */
  readonly disposed: boolean;
}

/**
 * A {@link Bus} of any topic map, typed or not: what helpers take (RPC, sagas, stores…), since
 * they publish and read topics of their own besides the app's.
 *
 * @example
 * import type { AnyBus } from '@switchboard/bus';
 * export function logEverything(bus: AnyBus): () => void {
 *   return bus.subscribe('#', (m) => console.log(m.topic));
 * }
 */
// biome-ignore lint/suspicious/noExplicitAny: only `any` lets every topic map in; `unknown` would refuse typed buses.
export type AnyBus = Bus<any>;

/**
 * The full bus of a tab, which the host (the shell) creates: a {@link Bus} that also takes
 * adapters. `M` maps topics to payload types; without it any topic takes any payload.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * const bus = createPubSub({ app: 'orders' });
 * const off = bus.subscribe('orders.+', (m) => console.log(m.topic, m.payload));
 * bus.publish('orders.created', { id: 1 }, { correlationId: 'c1' });
 * off();
 */
export interface PubSubBus<M extends TopicMap = AnyTopicMap> extends Bus<M> {
  /** Plugs in a transport or store; returns a function that detaches it. */
  attach(adapter: BusAdapter): () => void;
  /** Counters for diagnostics. */
  stats(): BusStats;
  /** Removes every subscription and adapter; later calls to `publish`/`subscribe` throw. */
  dispose(): void;
}
