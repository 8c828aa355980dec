import type { AdapterLink } from './adapter.ts';
import { createAppAccess } from './app-access.ts';
import { SwitchboardError } from './errors.ts';
import { type PermissionAction, PermissionError } from './permission-error.ts';
import { handleRegistry } from './handle-registry.ts';
import { checkPermissions, type AppPermissions } from './manifest.ts';
import type { Message } from './message.ts';
import type { Bus, Handler, PubSubBus, SubscribeOptions, Unsubscribe } from './pub-sub-bus.ts';
import { createSubscriptionSet, type SubscriptionSet } from './subscription-set.ts';
import { DEFAULT_HELPERS, TRANSPORT_NAMESPACES } from './system-rules.ts';
import type { AnyTopicMap, TopicMap } from './topic-map.ts';
import { createTopicPolicy, describeRule, type TopicPolicy } from './topic-policy.ts';
import { assertPattern, assertTopic, describeType } from './topic.ts';
import { createWaitFor } from './wait-for.ts';
import { warnOnce } from './warn-once.ts';

/** Where denials are published, for inspectors and logs: the payload is an {@link AppDenial}. */
export const APP_DENIED_TOPIC = '$sys.app.denied';

/** Payload of `$sys.app.denied`: a call a handle refused. */
export interface AppDenial {
  readonly app: string;
  readonly action: PermissionAction;
  /** The topic, pattern or helper namespace refused. */
  readonly subject: string;
  /** The manifest rule that decided, as in the error: `publish ['orders.#']`. */
  readonly rule: string;
  readonly tabId: string;
}

/** Options of {@link forApp}. */
export interface ForAppOptions {
  /**
   * What the app may do, usually an entry of a manifest from `defineManifest`. Without it the
   * handle checks nothing (the app still gets its own `source` and its own lifetime).
   * @default undefined
   */
  permissions?: AppPermissions;
  /**
   * The helper namespaces the app's helpers may reach through `systemAccess`. The runtime's own
   * namespaces (`tab`, `leader`, `presence`, `frame`, `mqtt`, `history`, `app`) cannot be granted.
   * @default ['rpc', 'aggregate', 'saga', 'circuit', 'store', 'retained']
   */
  helpers?: readonly string[];
}

/** Counters of one handle. */
export interface AppBusStats {
  readonly app: string;
  /** Messages published through the handle. */
  readonly published: number;
  /** Calls refused with a `PermissionError` (each also published as `$sys.app.denied`). */
  readonly denied: number;
  /** Messages withheld from a subscription wider than the app's subscribe permissions. */
  readonly filtered: number;
  /** Subscriptions made through the handle and still active. */
  readonly subscriptions: number;
  /** Helper accesses (`systemAccess`) of the handle still active. */
  readonly accesses: number;
}

/**
 * One app's handle on the host's bus: what it publishes carries `source: app`, what it may do is
 * checked against its permissions, and `dispose()` drops everything it subscribed. It has no
 * `attach` and no way back to the full bus.
 */
export interface AppBus<M extends TopicMap = AnyTopicMap> extends Bus<M> {
  /** The permissions given to `forApp`, or undefined when nothing is checked. */
  readonly permissions: AppPermissions | undefined;
  stats(): AppBusStats;
}

/** What a handle shares with the helper accesses made from it. */
export interface HandleContext {
  readonly app: string;
  readonly tabId: string;
  readonly permissions: AppPermissions | undefined;
  readonly helpers: readonly string[];
  /** The full bus: held here, in closures, never on the handle. */
  readonly bus: PubSubBus;
  readonly link: AdapterLink;
  readonly counts: { published: number; denied: number; filtered: number; accesses: number };
  /** Callbacks run when the handle is disposed. */
  readonly cleanups: Set<() => void>;
  assertOpen(fn: string): void;
  /** Counts, publishes `$sys.app.denied` and throws the `PermissionError`. */
  deny(action: PermissionAction, subject: string, rule: string, message: string): never;
  /** Wraps a handler so it only receives what `policy` allows; warns once that it is wider. */
  filtered<T>(handler: Handler<T>, policy: TopicPolicy, pattern: string, fn: string): Handler<T>;
}

/**
 * Gives an app a handle of its own on the host's bus. The shell creates the one full bus, hands
 * each MFE a handle (single-spa `mount`) and disposes it on `unmount`.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { defineManifest, forApp } from '@switchboard/bus/apps';
 * const manifest = defineManifest({ orders: { publish: ['orders.#'], subscribe: ['orders.#'] } });
 * const bus = createPubSub({ app: 'shell' });
 * const orders = forApp(bus, 'orders', { permissions: manifest.orders });
 * orders.publish('orders.placed', { orderId: 'o1' }); // source: 'orders'
 * orders.dispose();
 */
export function forApp<M extends TopicMap = AnyTopicMap>(
  bus: PubSubBus<M>,
  app: string,
  options: ForAppOptions = {},
): AppBus<M> {
  if (typeof app !== 'string' || app === '') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `forApp(): the app must be a non-empty string naming the app, got ${describeType(app)}.`,
    );
  }
  if (typeof (bus as Partial<PubSubBus>)?.attach !== 'function') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `forApp('${app}'): expected the host's full bus from createPubSub(), got ${describeType(bus)}; a handle cannot make handles.`,
    );
  }
  const permissions =
    options.permissions === undefined ? undefined : checkPermissions(options.permissions, 'forApp', app);
  const helpers = checkHelpers(options.helpers, app);
  const full = bus as unknown as PubSubBus;
  const name = `app:${app}`;
  const subscriptions: SubscriptionSet = createSubscriptionSet();
  const cleanups = new Set<() => void>();
  const counts = { published: 0, denied: 0, filtered: 0, accesses: 0 };
  const publishPolicy =
    permissions && createTopicPolicy(permissions.publish ?? [], describeRule('publish', permissions.publish));
  const subscribePolicy =
    permissions && createTopicPolicy(permissions.subscribe ?? [], describeRule('subscribe', permissions.subscribe));
  let link!: AdapterLink;
  let disposed = false;
  // The last topic this handle published: an app publishes the same topics over and over.
  let lastAllowed: string | undefined;

  const detach = full.attach({
    name,
    connect: (connected) => {
      link = connected;
    },
    disconnect: () => dispose(),
  });

  const context: HandleContext = {
    app,
    tabId: full.tabId,
    permissions,
    helpers,
    bus: full,
    link,
    counts,
    cleanups,
    assertOpen,
    deny,
    filtered(handler, policy, pattern, fn) {
      warnOnce(
        `app-filtered:${app}:${pattern}`,
        `${fn}('${pattern}') by app '${app}' reaches beyond what it may receive (${policy.ruleFor(pattern)}); it receives only those topics.`,
      );
      return (message) => {
        if (policy.allows(message.topic)) return handler(message);
        counts.filtered++;
        return undefined;
      };
    },
  };

  function assertOpen(fn: string): void {
    if (disposed) {
      throw new SwitchboardError(
        'BUS_DISPOSED',
        `${fn}(): the handle of app '${app}' was disposed (unmounted); use the handle of the new mount.`,
      );
    }
  }

  function deny(action: PermissionAction, subject: string, rule: string, message: string): never {
    counts.denied++;
    try {
      link.publishAs(app, APP_DENIED_TOPIC, { app, action, subject, rule, tabId: full.tabId } satisfies AppDenial);
    } catch (error) {
      link.reportError(error, { kind: 'adapter', adapter: name });
    }
    throw new PermissionError(app, action, subject, rule, message);
  }

  function addSubscription(
    pattern: string,
    handler: Handler<never>,
    subscribeOptions: SubscribeOptions | undefined,
    fn: string,
    once: boolean,
  ): Unsubscribe {
    assertOpen(fn);
    let target: Handler<never> = handler;
    if (typeof handler === 'function') {
      if (once) target = onceOnly(handler, () => unsubscribe());
      if (subscribePolicy !== undefined) {
        assertPattern(pattern, fn);
        const reach = subscribePolicy.reach(pattern);
        if (reach === 'none') {
          const rule = subscribePolicy.ruleFor(pattern);
          deny(
            'subscribe',
            pattern,
            rule,
            `${fn}('${pattern}'): app '${app}' may not receive any topic this pattern matches (${rule}); add the topics to the app's manifest.`,
          );
        }
        if (reach === 'some') target = context.filtered(target, subscribePolicy, pattern, fn);
      }
    }
    const unsubscribe = subscriptions.track(
      full.subscribe(pattern, target, subscribeOptions),
      subscribeOptions?.signal,
    );
    return unsubscribe;
  }

  function dispose(): void {
    if (disposed) return;
    disposed = true;
    subscriptions.clear();
    for (const cleanup of [...cleanups]) {
      try {
        cleanup();
      } catch (error) {
        link.reportError(error, { kind: 'adapter', adapter: name });
      }
    }
    cleanups.clear();
    detach();
  }

  const handle: AppBus<M> = {
    app,
    tabId: full.tabId,
    permissions,
    get disposed() {
      return disposed;
    },
    publish(topic, payload, publishOptions) {
      if (disposed) assertOpen('publish');
      if (topic !== lastAllowed) {
        // `$sys.` is refused as on the full bus (a TopicError), before any permission.
        if (typeof topic === 'string' && topic.charCodeAt(0) === 36) assertTopic(topic, 'publish');
        if (publishPolicy !== undefined && (typeof topic !== 'string' || !publishPolicy.allows(topic))) {
          assertTopic(topic, 'publish');
          const rule = publishPolicy.ruleFor(topic);
          deny(
            'publish',
            topic,
            rule,
            `publish('${topic}'): app '${app}' may not publish this topic (${rule}); add it to the app's manifest, or publish it from the app that owns it.`,
          );
        }
      }
      const message = link.publishAs(app, topic, payload, publishOptions);
      lastAllowed = topic;
      counts.published++;
      return message as Message<never>;
    },
    subscribe(pattern: string, handler: Handler<never>, subscribeOptions?: SubscribeOptions) {
      return addSubscription(pattern, handler, subscribeOptions, 'subscribe', false);
    },
    once(pattern, handler, subscribeOptions) {
      return addSubscription(pattern, handler as Handler<never>, subscribeOptions, 'once', true);
    },
    waitFor: createWaitFor({
      subscribe: (pattern, handler, subscribeOptions) =>
        addSubscription(pattern, handler as Handler<never>, subscribeOptions, 'waitFor', false),
      onDispose(cleanup) {
        cleanups.add(cleanup);
        return () => cleanups.delete(cleanup);
      },
      app,
      clock: link.clock,
    }),
    flush: () => full.flush(),
    stats: () => ({ app, ...counts, subscriptions: subscriptions.size }),
    dispose,
  };

  const handles = handleRegistry();
  if (handles === undefined) {
    warnOnce(
      'registry-version',
      `forApp('${app}'): another copy of @switchboard/bus with an incompatible registry is loaded; helpers cannot reach this handle's system access. Use one version in the page.`,
    );
  } else {
    handles.set(handle, { access: (namespace, accessOptions) => createAppAccess(context, namespace, accessOptions) });
  }
  return handle;
}

/** Calls `handler` for the first message only; `stop` unsubscribes. */
function onceOnly(handler: Handler<never>, stop: () => void): Handler<never> {
  let done = false;
  return (message) => {
    if (done) return undefined;
    done = true;
    stop();
    return handler(message);
  };
}

function checkHelpers(helpers: readonly string[] | undefined, app: string): readonly string[] {
  if (helpers === undefined) return DEFAULT_HELPERS;
  if (!Array.isArray(helpers) || helpers.some((helper) => typeof helper !== 'string')) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `forApp('${app}'): helpers must be an array of namespace names such as 'rpc', got ${describeType(helpers)}.`,
    );
  }
  const transport = helpers.find((helper) => TRANSPORT_NAMESPACES.includes(helper));
  if (transport !== undefined) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `forApp('${app}'): '${transport}' is one of the runtime's own namespaces (${TRANSPORT_NAMESPACES.join(', ')}) and cannot be granted to an app.`,
    );
  }
  return Object.freeze([...helpers]);
}
