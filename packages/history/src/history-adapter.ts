import {
  confirmCloneable,
  SwitchboardError,
  type AdapterLink,
  type Bus,
  type BusAdapter,
  type Handler,
  type Leadership,
  type Message,
  type PubSubBus,
  type AnyTopicMap,
  type TopicMap,
} from '@switchboard/bus';
import { createRetainedStorage } from './retained-storage.ts';
import { warnOnce, assertPattern } from '@switchboard/bus/internal';
import { createAppHistory } from './app-history.ts';
import { createCollector } from './collector.ts';
import { createCustody, MAX_HELD, type Custody } from './custody.ts';
import { describeError, HistoryError, type HistoryFailure } from './errors.ts';
import { createGcTimer } from './gc-timer.ts';
import type { HistoryStore } from './history-store.ts';
import { createHistoryStorage, defaultFactory } from './history-storage.ts';
import { createMemoryStore } from './memory-store.ts';
import { rebuildState, type RebuildOptions, type Reducer } from './projection.ts';
import { planQuery } from './query-plan.ts';
import { createGetHistory } from './read-history.ts';
import { admitStored } from './read-back.ts';
import { subscribeWithReplay, type ReplayOptions, type ReplaySource } from './replay.ts';
import { createReplayDelivery } from './replay-delivery.ts';
import type { HistoryAdapter } from './history-api.ts';
import { resolveOptions, type HistoryOptions } from './history-options.ts';
import { createWriteBatcher } from './write-batcher.ts';
import { createWritePath } from './write-path.ts';
import { injectedCustody } from './injected-custody.ts';

const TAB_LEFT = '$sys.tab.left';
const HISTORY_EVENTS = '$sys.history.';

/**
 * Creates a history backed by IndexedDB (memory where IndexedDB is missing or refused, reported
 * through `onError`). Nothing is opened until the first use.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createHistoryAdapter } from '@switchboard/history';
 * const history = createHistoryAdapter({ dbName: 'event-store', namespace: 'domain-events', ttlSeconds: 90 * 86_400 });
 * const bus = createPubSub({ app: 'event-store' });
 * await history.attach(bus);
 * bus.publish('domain.order.created', { orderId: 'o-1' });
 * await bus.flush();
 * const events = await history.getHistory('domain.order.#');
 */
export function createHistoryAdapter<M extends TopicMap = AnyTopicMap>(
  options: HistoryOptions = {},
): HistoryAdapter<M> {
  return createHistory(options, 'indexeddb') as HistoryAdapter<M>;
}

/** Builds a history on IndexedDB (with memory fallback) or on memory only. */
export function createHistory(options: HistoryOptions, kind: 'indexeddb' | 'memory'): HistoryAdapter {
  const config = resolveOptions(options);
  const { namespace, dbName, clock, ttlMs, maxMessages } = config;
  const counts = {
    persisted: 0,
    batches: 0,
    retrieved: 0,
    gcRuns: 0,
    gcSkipped: 0,
    expiredRemoved: 0,
    trimmedRemoved: 0,
    evicted: 0,
    errors: 0,
    custodied: 0,
    custodySkipped: 0,
    dropped: 0,
  };
  let degraded: HistoryFailure | undefined;
  let lastGcAt: number | undefined;
  let link: AdapterLink | undefined;
  let bus: PubSubBus | undefined;
  let detachFromBus: (() => void) | undefined;
  let withdrawRetained: (() => void) | undefined;

  const log = config.debug
    ? (text: string) => console.debug(`[switchboard] history '${namespace}': ${text}`)
    : () => {};

  function report(error: HistoryError): void {
    counts.errors++;
    log(error.message);
    if (config.onError) {
      config.onError(error);
    } else if (link) {
      link.reportError(error, { kind: 'adapter', adapter: 'history' });
    } else {
      // Not attached and nobody listening: surface it like an uncaught error, never lose it.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  const onUncloneable = (message: Message, error: unknown): void => {
    counts.dropped++;
    report(
      new HistoryError(
        'NOT_CLONEABLE',
        'clone',
        `history: message '${message.id}' on '${message.topic}' was not stored, its payload cannot be cloned ` +
          `(${describeError(error)}); publish plain data or keep checkPayloads on.`,
        { cause: error },
      ),
    );
  };
  // Messages custody queued: written only if absent, and counted apart.
  const custodyWrites = new WeakSet<Message>();
  const memory = (): HistoryStore => createMemoryStore({ maxMessages, onUncloneable });
  // Created below, once the store exists; a fallback to memory tells it first.
  let custody: Custody | undefined;
  const factory = options.indexedDB === undefined ? defaultFactory() : (options.indexedDB ?? undefined);
  const store = createHistoryStorage(
    kind,
    { factory, dbName, namespace, durability: config.durability, gcChunkSize: config.gcChunkSize, log, onUncloneable },
    memory,
    (error) => {
      const text =
        error?.message ??
        'createHistoryAdapter(): IndexedDB is not available here; history is kept in memory, for this tab only, and lost on reload.';
      warnOnce(`history-memory:${dbName}`, text);
      // Chosen with `indexedDB: null`, memory is no degradation; otherwise it is reported.
      if (options.indexedDB === null) return;
      degraded = error?.failure ?? 'unavailable';
      // This history no longer writes the shared database: the others must not count on it.
      custody?.bye();
      report(error ?? new HistoryError('UNSUPPORTED', 'unavailable', text));
    },
  );

  const writePath = createWritePath({
    store,
    dbName,
    clock,
    spillCapacity: maxMessages === Infinity ? 100_000 : maxMessages,
    maxBatchSize: config.maxBatchSize,
    ifAbsent: (message) => custodyWrites.has(message),
    committed(batch, present) {
      let custodied = 0;
      for (const message of batch) if (custodyWrites.delete(message)) custodied++;
      counts.persisted += batch.length - present;
      counts.custodied += custodied - present;
      counts.custodySkipped += present;
      counts.batches++;
      custody?.committed(batch);
    },
    abandoned(batch) {
      counts.dropped += batch.length;
      // Reported as lost: holders need not keep them for custody.
      custody?.committed(batch);
    },
    dropped: (count) => {
      counts.dropped += count;
    },
    evicted: (count) => {
      counts.evicted += count;
    },
    report,
    log,
  });

  const batcher = createWriteBatcher({
    write: (batch) => writePath.persist(batch),
    delayMs: config.batchDelayMs,
    maxBatchSize: config.maxBatchSize,
    clock,
  });

  if (kind === 'indexeddb') {
    custody = createCustody({
      db: dbName,
      ns: namespace,
      clock,
      publish: (topic, payload) =>
        link && store.kind === 'indexeddb' ? link.publishSystem(topic, payload) : undefined,
      write(messages) {
        for (const message of messages) {
          custodyWrites.add(message);
          batcher.add(message);
        }
      },
      log,
      overflow() {
        report(
          new HistoryError(
            'STORAGE_FAILED',
            'custody',
            `history: this tab holds ${MAX_HELD} messages of other tabs until they are stored, the most it keeps; ` +
              'until their writes catch up, a message from a tab that closes before storing it can be lost. ' +
              'Lower the publish rate or raise maxBatchSize.',
          ),
        );
      },
    });
  }

  async function settle(): Promise<void> {
    await Promise.all([batcher.flush(), delivery.settled()]);
  }

  const collect = createCollector({
    store,
    clock,
    ttlMs,
    maxMessages,
    collected(result) {
      counts.gcRuns++;
      counts.expiredRemoved += result.expired;
      counts.trimmedRemoved += result.trimmed;
      lastGcAt = clock.now();
    },
    log,
  });

  const gcTimer = createGcTimer({
    clock,
    intervalMs: config.gcIntervalMs,
    isLeader: () => link?.lookup<Leadership>('leadership')?.isLeader() ?? true,
    run: () =>
      collect().catch((error: unknown) => {
        report(
          new HistoryError(
            'STORAGE_FAILED',
            'gc',
            `history: garbage collection of '${namespace}' failed (${describeError(error)}); it is retried in ${config.gcIntervalMs} ms.`,
            { cause: error },
          ),
        );
      }),
    onSkip: () => void counts.gcSkipped++,
  });

  const storable = (message: Message): boolean =>
    (config.includeSystem || !message.topic.startsWith('$sys.')) &&
    !message.topic.startsWith(HISTORY_EVENTS) &&
    (config.persist === undefined || config.persist(message));

  const adapter: BusAdapter = {
    name: 'history',
    // Every message is stored, so the bus confirms at publish that it clones (a Proxy does not).
    clones: confirmCloneable,
    connect(busLink) {
      link = busLink;
      // Retained messages outlive the tabs in a database of their own (`@switchboard/bus/retained`).
      if (kind === 'indexeddb' && factory !== undefined) {
        withdrawRetained = link.provide('retained.storage', createRetainedStorage(factory, dbName, report));
      }
    },
    onPublish(message) {
      if (message.topic === TAB_LEFT) custody?.onSystem(message);
      if (storable(message)) batcher.add(message);
    },
    onInject(message) {
      if (message.topic.startsWith(HISTORY_EVENTS)) {
        custody?.onSystem(message);
        return;
      }
      if (!storable(message)) return;
      // A message from outside the origin (the broker) is stored by the tab that brought it in.
      if (injectedCustody(message) === 'here') {
        batcher.add(message);
        return;
      }
      // The tab that published it stores it, and may be waiting on this tab's GC meanwhile.
      store.othersWrite?.();
      custody?.hold(message);
    },
    flush: settle,
    disconnect() {
      // Also reached when the bus is disposed.
      withdrawRetained?.();
      link = undefined;
      bus = undefined;
      detachFromBus = undefined;
      gcTimer.stop();
      custody?.stop();
    },
  };

  const getHistory = createGetHistory({
    store,
    dbName,
    clock,
    ttlMs,
    spilled: () => writePath.spilled(),
    link: () => link,
    retrieved: (count) => {
      counts.retrieved += count;
    },
  });

  /** The replay parts of this history, the live part subscribing on `target`. */
  function replaySource(target: Bus, caller: string): ReplaySource {
    if (bus === undefined) {
      throw new SwitchboardError(
        'INVALID_OPTION',
        `${caller}: this history is not attached to a bus; call await history.attach(bus) first.`,
      );
    }
    return {
      bus: target,
      settle: () => batcher.flush(),
      query: (p, q) => getHistory(p, q),
      unsettled: (p, since) => {
        const rule = planQuery(caller, p, since === undefined ? {} : { fromTime: since }, clock.now(), ttlMs);
        return rule === undefined ? [] : (custody?.unsettled() ?? []).filter((m) => admitStored(m, rule));
      },
      deliver: delivery.deliver,
    };
  }

  const delivery = createReplayDelivery((error, message, pattern) => {
    if (link) {
      link.reportError(error, { kind: 'handler', message, pattern });
    } else {
      queueMicrotask(() => {
        throw error;
      });
    }
  });

  return {
    namespace,
    get storage() {
      return store.kind;
    },
    async attach(target) {
      if (detachFromBus !== undefined) {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `attach(): this history ('${namespace}') is already attached to the bus of app '${bus?.app}'; call detach() first.`,
        );
      }
      const attachedBus = target as unknown as PubSubBus;
      detachFromBus = attachedBus.attach(adapter);
      bus = attachedBus;
      gcTimer.start();
      // Announced before opening: messages published while the database opens are this tab's to
      // write, and the other tabs hold them meanwhile.
      custody?.hello();
      await store.open();
    },
    detach() {
      // Before the link goes: the other tabs stop holding this tab's messages for custody.
      custody?.bye();
      detachFromBus?.();
    },
    async close() {
      custody?.bye();
      detachFromBus?.();
      await settle();
      writePath.stop();
      store.close();
    },
    clear() {
      return store.clear();
    },
    getHistory,
    async subscribe<T>(pattern: string, handler: Handler<T>, replayOptions: ReplayOptions = {}) {
      assertPattern(pattern, 'history.subscribe');
      return subscribeWithReplay(
        replaySource(bus!, `history.subscribe('${pattern}')`),
        pattern,
        handler as Handler<never>,
        replayOptions,
      );
    },
    forApp: (target) =>
      createAppHistory({ getHistory, replaySource: (on) => replaySource(on, 'history.forApp().subscribe()') }, target),
    rebuild<S, T>(pattern: string, reducer: Reducer<S, T>, initial: S, rebuildOptions?: RebuildOptions<T>) {
      return rebuildState({ getHistory }, pattern, reducer, initial, rebuildOptions);
    },
    gc: collect,
    flush: settle,
    count() {
      return store.count();
    },
    stats() {
      return {
        namespace,
        storage: store.kind,
        attached: detachFromBus !== undefined,
        ...counts,
        held: custody?.held ?? 0,
        spilled: writePath.spilledCount,
        pendingWrites: batcher.pending,
        lastGcAt,
        degraded,
      };
    },
  };
}
