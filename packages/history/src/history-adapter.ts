import {
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
import { admitStored } from './admitted.ts';
import { createAppHistory } from './app-history.ts';
import { describeError, domErrorName, HistoryError } from './errors.ts';
import { createFallbackStore } from './fallback-store.ts';
import { createGcTimer } from './gc-timer.ts';
import type { GcResult, HistoryStore } from './history-store.ts';
import { createIdbStore } from './idb-store.ts';
import { isSupported } from './is-supported.ts';
import { createMemoryStore } from './memory-store.ts';
import { rebuildState, type RebuildOptions, type Reducer } from './projection.ts';
import { planQuery, type HistoryQueryOptions } from './query-plan.ts';
import { createRecentMessages } from './recent-messages.ts';
import { subscribeWithReplay, type ReplayOptions, type ReplaySource } from './replay.ts';
import type { HistoryAdapter } from './history-api.ts';
import { resolveOptions, type HistoryOptions } from './history-options.ts';
import { createWriteBatcher } from './write-batcher.ts';

const EVICT_FRACTION = 0.1;
// Messages a replay can take from memory when their write is not committed yet: many seconds of a
// busy tab.
const RECENT_MESSAGES = 1024;

/**
 * Creates a history backed by IndexedDB (memory where IndexedDB is missing or refused, with one
 * `[switchboard]` warning). Nothing is opened until the first use.
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
  };
  let lastGcAt: number | undefined;
  let link: AdapterLink | undefined;
  let bus: PubSubBus | undefined;
  let detachFromBus: (() => void) | undefined;
  let gcRun: Promise<GcResult> | undefined;
  let withdrawRetained: (() => void) | undefined;
  const pendingHandlers = new Set<Promise<unknown>>();

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
  const memory = (): HistoryStore => createMemoryStore({ maxMessages, onUncloneable });
  const factory = options.indexedDB === undefined ? defaultFactory() : (options.indexedDB ?? undefined);
  const store: HistoryStore =
    kind === 'memory'
      ? memory()
      : createFallbackStore(
          factory &&
            createIdbStore({
              factory,
              dbName,
              namespace,
              durability: config.durability,
              gcChunkSize: config.gcChunkSize,
              log,
              onUncloneable,
            }),
          memory,
          (error) => {
            warnOnce(
              `history-memory:${dbName}`,
              error?.message ??
                'createHistoryAdapter(): IndexedDB is not available here; history is kept in memory, for this tab only, and lost on reload.',
            );
          },
        );

  async function persist(batch: Message[]): Promise<void> {
    try {
      await store.write(batch);
      committed(batch);
      return;
    } catch (error) {
      if (domErrorName(error) !== 'QuotaExceededError') {
        report(
          new HistoryError(
            'STORAGE_FAILED',
            'write',
            `history: writing ${batch.length} message(s) to '${dbName}' failed (${describeError(error)}); ` +
              'they were not stored. The bus keeps running.',
            { cause: error },
          ),
        );
        return;
      }
    }
    // Quota: make room by dropping the oldest records, then try once more.
    let evicted = 0;
    try {
      const stored = await store.count();
      evicted = await store.evictOldest(Math.max(batch.length, Math.ceil(stored * EVICT_FRACTION)));
      counts.evicted += evicted;
      log(`quota exceeded: evicted the ${evicted} oldest messages, retrying ${batch.length}`);
      await store.write(batch);
      committed(batch);
    } catch (error) {
      report(
        new HistoryError(
          'STORAGE_FAILED',
          'quota',
          `history: storage quota exceeded writing ${batch.length} message(s) to '${dbName}', even after evicting ` +
            `the ${evicted} oldest (${describeError(error)}); they were not stored. Lower maxMessages or ttlSeconds, ` +
            'or free space for this origin.',
          { cause: error },
        ),
      );
    }
  }

  function committed(batch: Message[]): void {
    counts.persisted += batch.length;
    counts.batches++;
  }

  const batcher = createWriteBatcher({
    write: persist,
    delayMs: config.batchDelayMs,
    maxBatchSize: config.maxBatchSize,
    clock,
  });

  async function settle(): Promise<void> {
    await Promise.all([batcher.flush(), ...pendingHandlers]);
  }

  function collect(): Promise<GcResult> {
    gcRun ??= (async () => {
      const started = globalThis.performance?.now() ?? Date.now();
      try {
        const result = await store.collect(clock.now() - ttlMs, maxMessages);
        const durationMs = (globalThis.performance?.now() ?? Date.now()) - started;
        counts.gcRuns++;
        counts.expiredRemoved += result.expired;
        counts.trimmedRemoved += result.trimmed;
        lastGcAt = clock.now();
        log(
          `GC removed ${result.expired} expired and ${result.trimmed} over maxMessages in ${durationMs.toFixed(1)} ms`,
        );
        return { ...result, durationMs };
      } finally {
        gcRun = undefined;
      }
    })();
    return gcRun;
  }

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
    (config.persist === undefined || config.persist(message));

  const recent = createRecentMessages(RECENT_MESSAGES);

  const adapter: BusAdapter = {
    name: 'history',
    // Every message is stored, so the bus confirms at publish that it clones (a Proxy does not).
    clones: true,
    connect(busLink) {
      link = busLink;
      // Retained messages outlive the tabs in a database of their own (`@switchboard/bus/retained`).
      if (kind === 'indexeddb' && factory !== undefined) {
        withdrawRetained = link.provide('retained.storage', createRetainedStorage(factory, dbName, report));
      }
    },
    onPublish(message) {
      if (!storable(message)) return;
      batcher.add(message);
      recent.add(message);
    },
    // The tab that published it stores it; that tab's write may be waiting on this tab's GC.
    onInject(message) {
      if (!storable(message)) return;
      store.othersWrite?.();
      recent.add(message);
    },
    flush: settle,
    disconnect() {
      // Also reached when the bus is disposed.
      withdrawRetained?.();
      link = undefined;
      bus = undefined;
      detachFromBus = undefined;
      gcTimer.stop();
    },
  };

  function getHistory<T>(pattern: string, queryOptions: HistoryQueryOptions = {}): Promise<Message<T>[]> {
    let query: ReturnType<typeof planQuery>;
    try {
      query = planQuery('getHistory', pattern, queryOptions, clock.now(), ttlMs);
    } catch (error) {
      return Promise.reject(error);
    }
    if (query === undefined) return Promise.resolve([]);
    return store.query(query).then(
      (stored) => {
        const found = admitStored(link, stored);
        counts.retrieved += found.length;
        if (queryOptions.order === 'desc') found.reverse();
        return found as Message<T>[];
      },
      (error: unknown) => {
        throw new HistoryError(
          'STORAGE_FAILED',
          'read',
          `getHistory('${pattern}'): reading '${dbName}' failed (${describeError(error)}); retry, or check the browser's storage settings.`,
          { cause: error },
        );
      },
    );
  }

  function deliver(handler: Handler<never>, message: Message, pattern: string): void {
    try {
      const result = handler(message as never) as Promise<unknown> | undefined;
      if (result && typeof result.then === 'function') {
        const settled = Promise.resolve(result).then(undefined, (error: unknown) => {
          reportHandler(error, message, pattern);
        });
        pendingHandlers.add(settled);
        void settled.finally(() => pendingHandlers.delete(settled));
      }
    } catch (error) {
      reportHandler(error, message, pattern);
    }
  }

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
      recent: (p, since) => recent.matching(p, since, clock.now() - ttlMs),
      deliver,
    };
  }

  function reportHandler(error: unknown, message: Message, pattern: string): void {
    if (link) {
      link.reportError(error, { kind: 'handler', message, pattern });
    } else {
      queueMicrotask(() => {
        throw error;
      });
    }
  }

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
      await store.open();
    },
    detach() {
      detachFromBus?.();
    },
    async close() {
      detachFromBus?.();
      await settle();
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
        pendingWrites: batcher.pending,
        lastGcAt,
      };
    },
  };
}

function defaultFactory(): IDBFactory | undefined {
  // Read at creation, never at module load: there is no indexedDB in Node or some workers.
  return isSupported() ? indexedDB : undefined;
}
