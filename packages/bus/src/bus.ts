import type { AdapterLink } from './adapter.ts';
import { admitAll, assertUsable, enqueue, publish, report, send, showAdapters, type BusCore } from './bus-core.ts';
import { systemClock } from './clock.ts';
import { getDeliveryContext } from './delivery-context.ts';
import { SwitchboardError } from './errors.ts';
import { cachedTopicCount } from './topic-match.ts';
import { createTopicTrie } from './topic-trie.ts';
import { endAll, subscribeHandler, subscribeOnce, type Subscription } from './subscription.ts';
import { createIdFormatter, createIdPrefix } from './message-id.ts';
import type { Message } from './message.ts';
import { createCausationMemory, rememberOther } from './causation-memory.ts';
import type { PubSubOptions } from './pub-sub-options.ts';
import type { Handler, PubSubBus, SubscribeOptions, Unsubscribe } from './pub-sub-bus.ts';
import { connectDevtools } from './devtools-hook.ts';
import { getTabId } from './tab-id.ts';
import { assertPattern, assertTopic, describeType } from './topic.ts';
import type { AnyTopicMap, TopicMap } from './topic-map.ts';
import { createWaitFor } from './wait-for.ts';
import { RETAINED_SERVICE, subscribeRetained } from './retained-subscription.ts';

const RECENT_DEPTHS = 512;

/**
 * Creates a bus for one app.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * type Topics = { 'orders.created': { id: string } };
 * const bus = createPubSub<Topics>({ app: 'orders' });
 * bus.publish('orders.created', { id: 'o1' });
 */
export function createPubSub<M extends TopicMap = AnyTopicMap>(options: PubSubOptions): PubSubBus<M> {
  if (typeof options !== 'object' || options === null || typeof options.app !== 'string' || options.app === '') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `createPubSub(): options.app must be a non-empty string naming your app, got ${describeType(options?.app)}.`,
    );
  }
  const app = options.app;
  const clock = options.clock ?? systemClock;
  const tabId = options.tabId ?? getTabId();
  const idPrefix = `${createIdPrefix()}-`;
  // What publish and delivery read; they live in bus-core.ts as functions of it, shared by every bus.
  const core: BusCore = {
    app,
    origin: Object.freeze({ tabId }),
    maxDepth: options.maxDepth ?? 32,
    checkPayloads: options.checkPayloads ?? true,
    clock,
    onError: options.onError,
    context: getDeliveryContext(),
    trie: createTopicTrie<Handler, Subscription>(options.topicCacheSize ?? 1024),
    held: [],
    subscriptions: 0,
    detach: new Map(),
    adapters: [],
    admitters: [],
    checkers: [],
    cloneChecks: [],
    pending: new Set(),
    causes: createCausationMemory(RECENT_DEPTHS, idPrefix),
    ids: createIdFormatter(idPrefix),
    queue: [],
    queueHead: 0,
    draining: false,
    issued: 0,
    disposed: false,
    tap: undefined,
    injectedByAdapter: new WeakSet(),
    counts: { published: 0, injected: 0, refused: 0, delivered: 0, handlerErrors: 0, loopsStopped: 0 },
  };
  const { adapters, admitters, pending, counts } = core;
  const services = new Map<string, unknown>();
  // Run on dispose: rejections of waitFor() calls still waiting.
  const cleanups = new Set<() => void>();

  function addSubscription(
    pattern: string,
    handler: unknown,
    subscribeOptions: SubscribeOptions | undefined,
    once: boolean,
    fn: string,
  ): Unsubscribe {
    assertUsable(core, fn);
    if (typeof handler !== 'function') {
      throw new SwitchboardError(
        'INVALID_HANDLER',
        `${fn}('${pattern}'): the handler must be a function, got ${describeType(handler)}.`,
      );
    }
    const signal = subscribeOptions?.signal;
    if (signal?.aborted) {
      assertPattern(pattern, fn);
      return () => {};
    }
    if (subscribeOptions?.retained === true) {
      const service = services.get(RETAINED_SERVICE);
      const off = subscribeRetained(core, service, pattern, handler as Handler, once, signal, fn);
      const unsubscribe = (): void => {
        cleanups.delete(unsubscribe);
        off();
      };
      cleanups.add(unsubscribe); // a disposed bus stops the retained store's watch too
      return unsubscribe;
    }
    return (once ? subscribeOnce : subscribeHandler)(core, pattern, handler as Handler, signal, fn);
  }

  const link: AdapterLink = {
    app,
    tabId,
    clock,
    inject(message) {
      if (core.disposed) return;
      if (admitters.length > 0 && !admitAll(core, message)) return;
      counts.injected++;
      if (core.tap !== undefined) core.injectedByAdapter.add(message);
      rememberOther(core.causes, message.id, message.depth);
      showAdapters(core, message, true);
      enqueue(core, message);
    },
    publishSystem(topic, payload, publishOptions) {
      assertUsable(core, 'publishSystem');
      assertTopic(topic, 'publishSystem', true);
      return send(core, topic, payload, publishOptions, app);
    },
    publishAs(source, topic, payload, publishOptions) {
      if (typeof source !== 'string' || source === '') {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `publishAs(): source must be a non-empty app name, got ${describeType(source)}.`,
        );
      }
      // The first character first: a handle's every publish passes here, and `startsWith` is a call.
      if (typeof topic === 'string' && topic.charCodeAt(0) === 36 /* $ */ && topic.startsWith('$sys.')) {
        assertUsable(core, 'publishAs');
        assertTopic(topic, 'publish', true);
        return send(core, topic, payload, publishOptions, source);
      }
      return publish(core, topic, payload, publishOptions, source);
    },
    admit: (message) => admitters.length === 0 || admitAll(core, message),
    reportError: (error, errorContext) => report(core, error, errorContext),
    provide(name, service) {
      services.set(name, service);
      return () => {
        if (services.get(name) === service) services.delete(name);
      };
    },
    lookup: <T>(name: string) => services.get(name) as T | undefined,
  };

  const bus: PubSubBus<M> = {
    app,
    tabId,
    get disposed() {
      return core.disposed;
    },
    publish: (topic, payload, publishOptions) => publish(core, topic, payload, publishOptions) as Message<never>,
    subscribe(pattern: string, handler: Handler<never>, subscribeOptions?: SubscribeOptions) {
      return addSubscription(pattern, handler, subscribeOptions, false, 'subscribe');
    },
    once(pattern, handler, subscribeOptions) {
      return addSubscription(pattern, handler, subscribeOptions, true, 'once');
    },
    waitFor: createWaitFor({
      subscribe: (pattern, handler, subscribeOptions) =>
        addSubscription(pattern, handler, subscribeOptions, false, 'waitFor'),
      onDispose: (cleanup) => {
        cleanups.add(cleanup);
        return () => cleanups.delete(cleanup);
      },
      app,
      clock,
    }),
    async flush() {
      // Handlers may publish more and adapters may deliver more, so settle until nothing moves.
      for (let round = 0; round < 1000; round++) {
        if (pending.size > 0) await Promise.all([...pending]);
        await Promise.all(adapters.map((adapter) => adapter.flush?.()));
        if (pending.size === 0) return;
      }
      throw new SwitchboardError(
        'TIMEOUT',
        `flush(): the bus of app '${app}' was still busy after 1000 rounds; a handler keeps scheduling work.`,
      );
    },
    attach(adapter) {
      assertUsable(core, 'attach');
      if (typeof adapter?.connect !== 'function' || typeof adapter.name !== 'string') {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `attach(): expected a BusAdapter with a name and connect(), got ${describeType(adapter)}.`,
        );
      }
      if (adapters.includes(adapter)) {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `attach(): adapter '${adapter.name}' is already attached to this bus.`,
        );
      }
      adapter.connect(link);
      adapters.push(adapter);
      fileAdapters(core);
      return () => {
        const index = adapters.indexOf(adapter);
        if (index < 0) return;
        adapters.splice(index, 1);
        fileAdapters(core);
        adapter.disconnect?.();
      };
    },
    stats() {
      return {
        ...counts,
        subscriptions: core.subscriptions,
        pendingHandlers: pending.size,
        cachedTopics: cachedTopicCount(core.trie),
        adapters: adapters.map((adapter) => adapter.name),
      };
    },
    dispose() {
      if (core.disposed) return;
      core.disposed = true;
      for (const cleanup of [...cleanups]) cleanup();
      cleanups.clear();
      endAll(core);
      core.trie = createTopicTrie(0);
      const attached = adapters.splice(0);
      fileAdapters(core);
      for (const adapter of attached) {
        try {
          adapter.disconnect?.();
        } catch (error) {
          report(core, error, { kind: 'adapter', adapter: adapter.name });
        }
      }
    },
  };
  core.tap = connectDevtools(bus as unknown as PubSubBus);
  return bus;
}

/**
 * Files the attached adapters by the hooks publish and injection call (each distinct clone check
 * once: adapters of one copy of the library share one), when adapters change rather than on every
 * message.
 */
function fileAdapters(core: BusCore): void {
  const { admitters, checkers, cloneChecks } = core;
  admitters.length = checkers.length = cloneChecks.length = 0;
  for (const adapter of core.adapters) {
    if (typeof adapter.admit === 'function') admitters.push(adapter);
    if (typeof adapter.check === 'function') checkers.push(adapter);
    if (typeof adapter.clones === 'function' && !cloneChecks.includes(adapter.clones)) cloneChecks.push(adapter.clones);
  }
}
