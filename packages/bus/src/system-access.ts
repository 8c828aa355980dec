import type { AdapterLink, ErrorContext } from './adapter.ts';
import { SwitchboardError } from './errors.ts';
import { handleRegistry } from './handle-registry.ts';
import type { Message, PublishOptions } from './message.ts';
import type { AnyBus, Handler, PubSubBus, SubscribeOptions, Unsubscribe } from './pub-sub-bus.ts';
import { createSubscriptionSet } from './subscription-set.ts';
import type { Reach } from './topic-rules.ts';
import { assertTopic, describeType, SYSTEM_PREFIX } from './topic.ts';

/**
 * The power a helper (RPC, aggregator, saga, circuit breaker, stores, a transport acting for an
 * app) needs beyond an app's public API: publishing and reading `$sys.<namespace>.` topics,
 * services, error reporting and the bus's lifetime. On a handle it acts as the handle's app and
 * within what the host granted it.
 */
export interface SystemAccess {
  /** The app stamped as `source` on what this access publishes. */
  readonly app: string;
  readonly tabId: string;
  /** The helper namespace asked for: this access publishes under `$sys.<namespace>.`. */
  readonly namespace: string;
  /** Publishes a `$sys.` topic (on a handle: only under `$sys.<namespace>.`, as its rules allow). */
  publish(topic: string, payload: unknown, options?: PublishOptions): Message;
  /**
   * Checks that this access may publish `topic`, without publishing: on a handle, a topic its
   * rules refuse throws the `PermissionError` (counted and published as `$sys.app.denied`)
   * whose message starts with `fn`, the caller's own call (`request('payments.charge')`). For
   * a helper that must refuse before it sends anything (an RPC call still looking for a tab) or
   * that bypasses the bus (an RPC handler in the same tab). Always passes on the full bus.
   */
  authorizePublish(topic: string, fn: string): void;
  /**
   * Subscribes as the helper: its namespace, the tabs' lifecycle (`$sys.tab.`, `$sys.leader.`,
   * `$sys.presence.`) and whatever the app may receive. On a handle, a pattern reaching further
   * receives only what is allowed; one reaching nothing allowed throws `PERMISSION_DENIED`.
   */
  subscribe<T = unknown>(pattern: string, handler: Handler<T>, options?: SubscribeOptions): Unsubscribe;
  /** True when the app may receive `topic` (always true on the full bus). */
  receives(topic: string): boolean;
  /**
   * Checks that the app may receive what `pattern` matches before reading it from elsewhere (a
   * history query): `'all'`, or `'some'` when each message must be checked with `receives`.
   * Throws a `PermissionError` (counted and reported) when nothing is allowed. `fn` names the
   * caller in the error.
   */
  authorize(pattern: string, fn: string): Exclude<Reach, 'none'>;
  /** A service an adapter provided (`'leadership'`, `'presence'`…), looked up each time. */
  lookup<T>(name: string): T | undefined;
  /**
   * Offers a service to the other helpers of the tab; returns its withdrawal. On a handle, only
   * names of the namespace: `'rpc'`, `'rpc.…'` or `'switchboard.rpc.…'`.
   */
  provide(name: string, service: unknown): () => void;
  /** Reports an error through the bus's `onError`. */
  reportError(error: unknown, context: ErrorContext): void;
  /**
   * Runs `cleanup` when the access ends: released, or its bus or handle disposed (at once if it
   * has). Callbacks run before the access closes, so a helper can still publish its goodbye in
   * them; when the whole bus is disposed nothing can be published any more (`BUS_DISPOSED`).
   */
  onDispose(cleanup: () => void): () => void;
  /** Drops what was subscribed through this access, runs the `onDispose` callbacks, detaches. */
  release(): void;
  readonly released: boolean;
}

/** Options of {@link systemAccess}. */
export interface SystemAccessOptions {
  /** The name shown in `stats().adapters` and error reports. @default the namespace */
  name?: string;
}

/**
 * Gives a helper its access to `$sys.<namespace>.`. On the full bus it is unrestricted (a
 * no-op adapter is attached); on a handle from `forApp` it is the access that `forApp`
 * registered: limited to the helper namespaces the host granted and to what the app's
 * manifest allows, stamped with the app, released with the handle. A namespace the host did not
 * grant throws a `PermissionError`. Each call returns an access of its own.
 *
 * @example
 * import { createPubSub, systemAccess } from '@switchboard/bus';
 * const access = systemAccess(createPubSub({ app: 'shell' }), 'rpc');
 * access.subscribe('$sys.rpc.request.#', (m) => console.log(m.payload));
 * access.publish('$sys.rpc.announce.inventory.reserve', { tabId: access.tabId });
 * access.release();
 */
export function systemAccess(bus: AnyBus, namespace: string, options: SystemAccessOptions = {}): SystemAccess {
  assertNamespace(namespace);
  const registration = handleRegistry()?.get(bus);
  if (registration !== undefined) return registration.access(namespace, options);
  if (typeof (bus as Partial<PubSubBus>)?.attach === 'function') {
    return createBusAccess(bus as PubSubBus, namespace, options.name ?? namespace);
  }
  throw new SwitchboardError(
    'INVALID_OPTION',
    `systemAccess('${namespace}'): expected a bus from createPubSub() or a handle from forApp(), got ${describeType(bus)}; ` +
      'a handle made by another, incompatible copy of @switchboard/bus is not recognised either: use one version in the page.',
  );
}

const NAMESPACE = /^[A-Za-z0-9_:-]+$/;

function assertNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace) || namespace === SYSTEM_PREFIX) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `systemAccess(): the namespace must be one topic segment such as 'rpc', got ${typeof namespace === 'string' ? `'${namespace}'` : describeType(namespace)}.`,
    );
  }
}

/** The unrestricted access of the full bus: a no-op adapter, as helpers always used. */
function createBusAccess(bus: PubSubBus, namespace: string, name: string): SystemAccess {
  let link!: AdapterLink;
  const subscriptions = createSubscriptionSet();
  const cleanups = new Set<() => void>();
  // `closing` while the onDispose callbacks run: a helper may still say goodbye in them.
  let state: 'open' | 'closing' | 'released' = 'open';
  const end = (): void => {
    if (state !== 'open') return;
    state = 'closing';
    for (const cleanup of [...cleanups]) {
      try {
        cleanup();
      } catch (error) {
        link.reportError(error, { kind: 'adapter', adapter: name });
      }
    }
    cleanups.clear();
    subscriptions.clear();
    state = 'released';
  };
  const detach = bus.attach({
    name,
    connect: (connected) => {
      link = connected;
    },
    disconnect: end,
  });
  return {
    app: bus.app,
    tabId: bus.tabId,
    namespace,
    publish: (topic, payload, publishOptions) => link.publishSystem(topic, payload, publishOptions),
    authorizePublish: (topic, fn) => assertTopic(topic, fn, true),
    subscribe: (pattern, handler, subscribeOptions) =>
      subscriptions.track(bus.subscribe(pattern, handler, subscribeOptions), subscribeOptions?.signal),
    receives: () => true,
    authorize: () => 'all',
    lookup: (service) => link.lookup(service),
    provide: (service, value) => link.provide(service, value),
    reportError: (error, context) => link.reportError(error, context),
    onDispose(cleanup) {
      if (state !== 'open') {
        cleanup();
        return () => {};
      }
      cleanups.add(cleanup);
      return () => void cleanups.delete(cleanup);
    },
    release() {
      end();
      detach();
    },
    get released() {
      return state === 'released';
    },
  };
}
