import type { AdapterLink, BusAdapter, Leadership } from './adapter.ts';
import { systemClock, type Clock } from './clock.ts';
import { SwitchboardError } from './errors.ts';
import { RetainedLimitError } from './retained-limit-error.ts';
import type { Message } from './message.ts';
import type { PubSubBus } from './pub-sub-bus.ts';
import { createRetainedStore, isNewer, segmentsMatch } from './retained-store.ts';
import { wrapForReplay } from './retained-replay.ts';
import { RETAINED_SERVICE, type RetainedService } from './retained-subscription.ts';
import { assertTopic, describeType } from './topic.ts';

/** A tab that opens asks the others for their retained messages; the leader answers. */
export const RETAINED_SYNC = '$sys.retained.sync';
/** The leader's answer to {@link RETAINED_SYNC}, in chunks, addressed to the asking tab. */
export const RETAINED_STATE = '$sys.retained.state';
/** `clearRetained` tells every tab to forget a topic. */
export const RETAINED_CLEAR = '$sys.retained.clear';

const LEADER_CHANGED = '$sys.leader.changed';
const CHUNK = 64;

/**
 * Where retained messages outlive the tabs: `@switchboard/history` provides it under the
 * service name `'retained.storage'` (an object store keyed by topic), so a tab that opens when
 * no other is alive still gets them.
 */
export interface RetainedStorage {
  /** Every stored retained message. */
  load(): Promise<Message[]>;
  /** Stores `message` as its topic's retained value. */
  put(message: Message): void;
  /** Forgets a topic. */
  remove(topic: string): void;
  /** Resolves once every put and remove so far is stored; part of `bus.flush()`. */
  flush?(): Promise<void>;
}

/** Options of {@link attachRetained}. */
export interface RetainedOptions {
  /**
   * Most topics kept; past it the topic updated longest ago is dropped and reported through
   * `onError` (a `RetainedLimitError`) and `stats().dropped`.
   * @default 1000
   */
  maxTopics?: number;
  /**
   * How long `ready()` waits for the leader's answer when this tab opens (a leader without
   * `attachRetained` never answers).
   * @default 2000
   */
  syncTimeoutMs?: number;
  /** Timers for `syncTimeoutMs`; tests pass a fake clock. @default systemClock */
  clock?: Clock;
}

/** Counters of the retained store. */
export interface RetainedStats {
  /** Topics kept now. */
  readonly topics: number;
  /** Topics dropped because of `maxTopics`. */
  readonly dropped: number;
  /** Messages learned from other tabs when this tab opened. */
  readonly synced: number;
  /** Messages read from storage when this tab opened. */
  readonly hydrated: number;
}

/** The retained messages of a tab. */
export interface Retained {
  /** The retained message of a topic, if any. */
  get(topic: string): Message | undefined;
  /** Retained messages matching a pattern, oldest first. */
  matching(pattern: string): Message[];
  /** Forgets a topic in every tab (and in storage). */
  clear(topic: string): void;
  /** Resolves once the answers of other tabs and of storage asked for at attach have arrived. */
  ready(): Promise<void>;
  stats(): RetainedStats;
  /** Stops keeping retained messages; subscribing with `retained: true` throws again. */
  detach(): void;
}

/**
 * Keeps the last message of every topic published with `{ retain: true }`, in this tab and from
 * the others, so that `subscribe(pattern, handler, { retained: true })` hands a late subscriber
 * the current value first. A tab that opens gets the retained messages of the tabs already open
 * (the leader answers) and, with `@switchboard/history` attached, those stored in IndexedDB.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachRetained } from '@switchboard/bus/retained';
 * const bus = createPubSub({ app: 'shell' });
 * attachRetained(bus);
 * bus.publish('user.session', { name: 'Ada' }, { retain: true });
 * bus.subscribe('user.#', (m) => console.log(m.payload), { retained: true }); // logs at once
 */
export function attachRetained(bus: Pick<PubSubBus, 'attach'>, options: RetainedOptions = {}): Retained {
  const { maxTopics = 1000, syncTimeoutMs = 2000, clock = systemClock } = options;
  if (!Number.isInteger(maxTopics) || maxTopics < 1) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `attachRetained(): maxTopics must be a positive integer, got ${describeType(maxTopics)}.`,
    );
  }
  const store = createRetainedStore(maxTopics);
  const watchers = new Set<{ segments: string[]; deliver: (messages: readonly Message[]) => void }>();
  const counts = { dropped: 0, synced: 0, hydrated: 0 };
  const name = 'retained';
  let link!: AdapterLink;
  let withdraw = (): void => {};
  let synced = false;
  let asked = false;
  let closed = false;
  let hydrating: Promise<void> = Promise.resolve();
  let answered: Promise<void> = Promise.resolve();
  let resolveAnswered = (): void => {};

  const service: RetainedService = {
    replay(target, handler) {
      const wrapped = wrapForReplay(target, handler, store.matching(target.pattern));
      return {
        handler: wrapped.handler,
        start() {
          wrapped.start();
          const watcher = { segments: target.pattern.split('.'), deliver: wrapped.deliverLearned };
          watchers.add(watcher);
          return () => void watchers.delete(watcher);
        },
      };
    },
    clear(topic) {
      assertTopic(topic, 'clearRetained', true);
      store.forget(topic);
      link.publishSystem(RETAINED_CLEAR, { topic });
    },
  };

  function report(error: unknown, message?: Message): void {
    link.reportError(error, message ? { kind: 'adapter', adapter: name, message } : { kind: 'adapter', adapter: name });
  }

  /** Keeps a message; returns whether it is new to this tab. */
  function keep(message: Message): boolean {
    const { kept, dropped } = store.keep(message);
    for (const old of dropped) {
      counts.dropped++;
      report(new RetainedLimitError(old.topic, maxTopics), old);
    }
    return kept;
  }

  /** Keeps messages learned from elsewhere and hands the new ones to retained subscriptions. */
  function learn(messages: readonly Message[]): number {
    const fresh = messages.filter((message) => isMessage(message) && keep(message));
    if (fresh.length === 0) return 0;
    for (const watcher of [...watchers]) {
      const matching = fresh.filter((message) => segmentsMatch(watcher.segments, message.topic));
      if (matching.length === 0) continue;
      try {
        watcher.deliver(matching);
      } catch (error) {
        report(error);
      }
    }
    return fresh.length;
  }

  function storage(): RetainedStorage | undefined {
    return link.lookup<RetainedStorage>('retained.storage');
  }

  function leadership(): Leadership | undefined {
    return link.lookup<Leadership>('leadership');
  }

  function askPeers(): void {
    if (closed || synced || asked) return;
    const leader = leadership()?.leaderTabId();
    if (leader === undefined || leader === link.tabId) return;
    asked = true;
    answered = new Promise((resolve) => {
      const timer = clock.setTimeout(resolve, syncTimeoutMs);
      resolveAnswered = () => {
        clock.clearTimeout(timer);
        resolve();
      };
    });
    link.publishSystem(RETAINED_SYNC, { tabId: link.tabId });
  }

  function answer(to: string): void {
    const leader = leadership();
    if (closed || (leader !== undefined && !leader.isLeader())) return;
    const all = store.all();
    const chunks = Math.max(1, Math.ceil(all.length / CHUNK));
    for (let i = 0; i < chunks; i++) {
      link.publishSystem(RETAINED_STATE, {
        to,
        messages: all.slice(i * CHUNK, (i + 1) * CHUNK),
        last: i === chunks - 1,
      });
    }
  }

  function onSystem(message: Message, remote: boolean): void {
    const payload = message.payload as Record<string, unknown> | undefined;
    switch (message.topic) {
      case RETAINED_CLEAR:
        if (typeof payload?.topic === 'string') store.forget(payload.topic);
        return;
      case RETAINED_SYNC:
        // Answered after the current delivery, so the answer never overtakes what caused it.
        if (remote && typeof payload?.tabId === 'string') queueMicrotask(() => answer(payload.tabId as string));
        return;
      case RETAINED_STATE:
        if (!remote || payload?.to !== link.tabId || !Array.isArray(payload.messages)) return;
        counts.synced += learn(payload.messages as Message[]);
        if (payload.last === true) {
          synced = true;
          resolveAnswered();
        }
        return;
      case LEADER_CHANGED:
        askPeers();
        return;
    }
  }

  function see(message: Message, remote: boolean): void {
    if (closed) return;
    if (message.meta.retain === true) keep(message);
    else if (message.topic.startsWith('$sys.')) onSystem(message, remote);
  }

  function hydrate(): void {
    const stored = storage();
    if (stored === undefined) return;
    hydrating = stored.load().then(
      (messages) => {
        // Stored by topic: oldest first again, as if they had been published in this tab.
        if (!closed) counts.hydrated += learn([...messages].sort((a, b) => (isNewer(a, b) ? 1 : -1)));
      },
      (error: unknown) => report(error),
    );
  }

  const adapter: BusAdapter = {
    name,
    connect(connected) {
      link = connected;
      withdraw = link.provide(RETAINED_SERVICE, service);
      // Transports and history may be attached after this adapter: look for them once they are.
      queueMicrotask(() => {
        if (closed) return;
        hydrate();
        askPeers();
      });
    },
    onPublish(message) {
      see(message, false);
      if (message.meta.retain === true) storage()?.put(message);
      else if (message.topic === RETAINED_CLEAR) {
        const topic = (message.payload as { topic?: unknown } | undefined)?.topic;
        if (typeof topic === 'string') storage()?.remove(topic);
      }
    },
    onInject: (message) => see(message, true),
    flush: () => storage()?.flush?.() ?? Promise.resolve(),
    disconnect() {
      closed = true;
      withdraw();
      watchers.clear();
      store.clear();
      resolveAnswered();
    },
  };
  const detach = bus.attach(adapter);

  return {
    get: (topic) => store.get(topic),
    matching: (pattern) => store.matching(pattern),
    clear: (topic) => service.clear(topic),
    async ready() {
      await Promise.resolve();
      await hydrating;
      await answered;
    },
    stats: () => ({ topics: store.size, ...counts }),
    detach,
  };
}

function isMessage(value: unknown): value is Message {
  const message = value as Message | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof message.id === 'string' &&
    typeof message.topic === 'string' &&
    typeof message.ts === 'number' &&
    typeof message.meta === 'object' &&
    message.meta !== null
  );
}
