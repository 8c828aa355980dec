import type { AdapterLink, BusAdapter, ErrorContext } from './adapter.ts';
import { findUncloneable, isFlatPlainData } from './cloneable.ts';
import { systemClock } from './clock.ts';
import { getDeliveryContext } from './delivery-context.ts';
import { LoopDetectedError, SwitchboardError } from './errors.ts';
import { createTopicMatcher } from './matcher.ts';
import { createIdFormatter, createIdPrefix, type Message, type MessageMeta, type PublishOptions } from './message.ts';
import { createCausationMemory } from './causation-memory.ts';
import type { PubSubOptions } from './pub-sub-options.ts';
import type { Handler, PubSubBus, SubscribeOptions, Unsubscribe } from './pub-sub-bus.ts';
import { connectDevtools, type DevtoolsTap } from './devtools-hook.ts';
import { getTabId } from './tab-id.ts';
import { assertPattern, assertTopic, describeType } from './topic.ts';
import type { AnyTopicMap, TopicMap } from './topic-map.ts';
import { createWaitFor } from './wait-for.ts';

/** What the matcher stores besides the handler itself: it tells two subscriptions of one handler apart. */
interface Subscription {
  readonly pattern: string;
  active: boolean;
}

const RECENT_DEPTHS = 512;
const NO_META: MessageMeta = Object.freeze({});

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
    throw new SwitchboardError('INVALID_OPTION',
      `createPubSub(): options.app must be a non-empty string naming your app, got ${describeType(options?.app)}.`);
  }
  const app = options.app;
  const maxDepth = options.maxDepth ?? 32;
  const checkPayloads = options.checkPayloads ?? true;
  const clock = options.clock ?? systemClock;
  const onError = options.onError;
  const tabId = options.tabId ?? getTabId();
  const origin = Object.freeze({ tabId });
  const idPrefix = `${createIdPrefix()}-`;
  const context = getDeliveryContext();
  // Entries are the handlers, so delivery reads one array per pattern and calls; the subscription
  // records are the tokens, read only when a handler unsubscribed something mid-delivery.
  const matcher = createTopicMatcher<Handler, Subscription>({ cacheSize: options.topicCacheSize ?? 1024 });
  const adapters: BusAdapter[] = [];
  const services = new Map<string, unknown>();
  const pending = new Set<Promise<unknown>>();
  // Run on dispose: unsubscribes, and rejections of waitFor() calls still waiting.
  const cleanups = new Set<() => void>();
  const causes = createCausationMemory(RECENT_DEPTHS, idPrefix);
  let lastPlainTopic: string | undefined;
  const queue: Message[] = [];
  let queueHead = 0;
  let draining = false;
  let disposed = false;
  // Counts unsubscribes, so a delivery loop knows whether any entry of its snapshot may be gone.
  let removals = 0;
  const idOf = createIdFormatter(idPrefix);
  let issued = 0;
  // Off unless a test or devtools installed the hook before the bus was created.
  let tap: DevtoolsTap | undefined;
  const injectedByAdapter = new WeakSet<Message>();
  const counts = { published: 0, injected: 0, delivered: 0, handlerErrors: 0, loopsStopped: 0 };

  function report(error: unknown, errorContext: ErrorContext): void {
    if (errorContext.kind === 'handler') counts.handlerErrors++;
    if (onError) {
      try {
        onError(error, errorContext);
        return;
      } catch (hookError) {
        error = hookError;
      }
    }
    // Nobody is listening: surface it the way an uncaught error would, without breaking delivery.
    queueMicrotask(() => {
      throw error;
    });
  }

  function assertUsable(fn: string): void {
    if (disposed) {
      throw new SwitchboardError('BUS_DISPOSED', `${fn}(): the bus of app '${app}' was disposed; create a new bus with createPubSub().`);
    }
  }

  function createMessage(topic: string, payload: unknown, publishOptions: PublishOptions | undefined): Message {
    const cause = context.current;
    // Most messages carry no meta: they share one frozen empty object instead of one each.
    if (publishOptions === undefined && cause === undefined) return stamp(topic, payload, NO_META, 0);
    const meta: MessageMeta = publishOptions ? { ...publishOptions } : {};
    let depth = 0;
    if (cause !== undefined) {
      depth = cause.depth + 1;
      meta.causationId ??= cause.id;
      if (meta.correlationId === undefined && cause.meta.correlationId !== undefined) {
        meta.correlationId = cause.meta.correlationId;
      }
    } else if (meta.causationId !== undefined) {
      depth = causes.depthOf(meta.causationId) + 1;
    }
    if (depth > maxDepth) {
      counts.loopsStopped++;
      throw new LoopDetectedError(topic, depth, maxDepth);
    }
    return stamp(topic, payload, meta, depth);
  }

  function stamp(topic: string, payload: unknown, meta: MessageMeta, depth: number): Message {
    const sequence = issued++;
    causes.rememberOwn(sequence, depth);
    return {
      id: idOf(sequence),
      topic,
      payload,
      ts: clock.now(),
      source: app,
      meta,
      origin,
      depth,
    };
  }

  function send(topic: string, payload: unknown, publishOptions: PublishOptions | undefined): Message {
    // The flat-object test first: `findUncloneable` is too big to inline, and calling it cost
    // ~8 ns of a ~115 ns publish.
    if (checkPayloads && !isFlatPlainData(payload)) {
      const bad = findUncloneable(payload);
      if (bad !== undefined) {
        throw new SwitchboardError('NOT_CLONEABLE',
          `publish('${topic}'): ${bad} cannot be sent between tabs or stored; publish plain data (objects, arrays, strings, numbers, Dates, Maps…).`);
      }
    }
    const message = createMessage(topic, payload, publishOptions);
    for (let i = 0; i < adapters.length; i++) adapters[i]!.check?.(message);
    counts.published++;
    showAdapters(message, false);
    enqueue(message);
    return message;
  }

  /** Hands a message to every adapter's onPublish (or onInject); one adapter's throw is reported. */
  function showAdapters(message: Message, injected: boolean): void {
    for (let i = 0; i < adapters.length; i++) {
      const adapter = adapters[i]!;
      const hook = injected ? adapter.onInject : adapter.onPublish;
      if (hook === undefined) continue;
      try {
        hook.call(adapter, message);
      } catch (error) {
        report(error, { kind: 'adapter', adapter: adapter.name, message });
      }
    }
  }

  function enqueue(message: Message): void {
    if (draining) {
      queue.push(message);
      return;
    }
    draining = true;
    const outer = context.current;
    try {
      // Nothing is queued when no handler is running: deliver without the queue's round trip.
      deliver(message);
      while (queueHead < queue.length) {
        const next = queue[queueHead]!;
        queue[queueHead++] = undefined as never; // let delivered messages be collected
        deliver(next);
      }
    } finally {
      if (queue.length > 0) queue.length = 0;
      queueHead = 0;
      draining = false;
      context.current = outer;
    }
  }

  function deliver(message: Message): void {
    if (tap !== undefined) observe(message);
    // The matcher's lists are snapshots: a subscription added by a handler is not in them (it
    // starts with the next message); one removed meanwhile is skipped by its record's `active`.
    const lists = matcher.match(message.topic);
    if (lists.length === 0) return;
    const removalsBefore = removals;
    context.current = message;
    let delivered = 0;
    for (let j = 0; j < lists.length; j++) {
      const handlers = lists[j]!;
      for (let i = 0; i < handlers.length; i++) {
        if (removals !== removalsBefore && !matcher.tokenOf(handlers, i).active) continue;
        delivered++;
        try {
          const result = handlers[i]!(message) as Promise<void> | undefined;
          if (result && typeof (result as Promise<void>).then === 'function') {
            track(result, matcher.tokenOf(handlers, i).pattern, message);
          }
        } catch (error) {
          report(error, { kind: 'handler', message, pattern: matcher.tokenOf(handlers, i).pattern });
        }
      }
    }
    counts.delivered += delivered;
  }

  function observe(message: Message): void {
    try {
      tap!(message, injectedByAdapter.has(message));
    } catch (error) {
      report(error, { kind: 'adapter', adapter: 'devtools', message });
    }
  }

  function track(result: Promise<void>, pattern: string, message: Message): void {
    const settled = Promise.resolve(result).then(undefined, (error: unknown) => {
      report(error, { kind: 'handler', message, pattern });
    });
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  }

  function addSubscription(pattern: string, handler: unknown, subscribeOptions: SubscribeOptions | undefined, once: boolean, fn: string): Unsubscribe {
    assertUsable(fn);
    assertPattern(pattern, fn);
    if (typeof handler !== 'function') {
      throw new SwitchboardError('INVALID_HANDLER',
        `${fn}('${pattern}'): the handler must be a function, got ${describeType(handler)}.`);
    }
    const signal = subscribeOptions?.signal;
    if (signal?.aborted) return () => {};
    const wrapped = once
      ? (message: Message) => {
          unsubscribe();
          return (handler as Handler)(message);
        }
      : (handler as Handler);
    const subscription: Subscription = { pattern, active: true };
    matcher.add(pattern, wrapped as Handler, subscription);
    const onAbort = (): void => unsubscribe();
    signal?.addEventListener('abort', onAbort, { once: true });
    function unsubscribe(): void {
      if (!subscription.active) return;
      subscription.active = false;
      removals++;
      matcher.remove(pattern, subscription);
      signal?.removeEventListener('abort', onAbort);
      cleanups.delete(unsubscribe);
    }
    cleanups.add(unsubscribe);
    return unsubscribe;
  }

  const link: AdapterLink = {
    app,
    tabId,
    inject(message) {
      if (disposed) return;
      counts.injected++;
      if (tap !== undefined) injectedByAdapter.add(message);
      causes.rememberOther(message.id, message.depth);
      showAdapters(message, true);
      enqueue(message);
    },
    publishSystem(topic, payload, publishOptions) {
      assertUsable('publishSystem');
      assertTopic(topic, 'publishSystem', true);
      return send(topic, payload, publishOptions);
    },
    reportError: report,
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
      return disposed;
    },
    publish(topic, payload, publishOptions) {
      assertUsable('publish');
      // Apps publish the same topic over and over: one remembered topic skips the check. Otherwise
      // the matcher checks the characters while it reads the topic for delivery anyway.
      if (topic !== lastPlainTopic) {
        if (typeof topic !== 'string' || !matcher.scan(topic)) assertTopic(topic, 'publish');
        lastPlainTopic = topic;
      }
      return send(topic, payload, publishOptions) as Message<never>;
    },
    subscribe(pattern: string, handler: Handler<never>, subscribeOptions?: SubscribeOptions) {
      return addSubscription(pattern, handler, subscribeOptions, false, 'subscribe');
    },
    once(pattern, handler, subscribeOptions) {
      return addSubscription(pattern, handler, subscribeOptions, true, 'once');
    },
    waitFor: createWaitFor({
      subscribe: (pattern, handler, subscribeOptions) => addSubscription(pattern, handler, subscribeOptions, false, 'waitFor'),
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
      throw new SwitchboardError('TIMEOUT', `flush(): the bus of app '${app}' was still busy after 1000 rounds; a handler keeps scheduling work.`);
    },
    attach(adapter) {
      assertUsable('attach');
      if (typeof adapter?.connect !== 'function' || typeof adapter.name !== 'string') {
        throw new SwitchboardError('INVALID_OPTION', `attach(): expected a BusAdapter with a name and connect(), got ${describeType(adapter)}.`);
      }
      if (adapters.includes(adapter)) {
        throw new SwitchboardError('INVALID_OPTION', `attach(): adapter '${adapter.name}' is already attached to this bus.`);
      }
      adapter.connect(link);
      adapters.push(adapter);
      return () => {
        const index = adapters.indexOf(adapter);
        if (index < 0) return;
        adapters.splice(index, 1);
        adapter.disconnect?.();
      };
    },
    stats() {
      return {
        ...counts,
        subscriptions: matcher.size,
        pendingHandlers: pending.size,
        cachedTopics: matcher.cachedTopics,
        adapters: adapters.map((adapter) => adapter.name),
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const cleanup of [...cleanups]) cleanup();
      cleanups.clear();
      for (const adapter of adapters.splice(0)) {
        try {
          adapter.disconnect?.();
        } catch (error) {
          report(error, { kind: 'adapter', adapter: adapter.name });
        }
      }
    },
  };
  tap = connectDevtools(bus as unknown as PubSubBus);
  return bus;
}
