import type { BusAdapter, ErrorContext } from './adapter.ts';
import type { CausationMemory } from './causation-memory.ts';
import type { Clock } from './clock.ts';
import type { DeliveryContext } from './delivery-context.ts';
import type { DevtoolsTap } from './devtools-hook.ts';
import { SwitchboardError } from './errors.ts';
import type { IdFormatter } from './message-id.ts';
import { assertCloneable, createMessage, isFlatPayload } from './make-message.ts';
import { isKnownTopic, matchLists, scanTopic } from './topic-match.ts';
import type { TopicTrie } from './topic-trie.ts';
import type { Message, PublishOptions } from './message.ts';
import type { Handler } from './pub-sub-bus.ts';
import { settle, type Subscription } from './subscription.ts';
import { assertTopic } from './topic.ts';

/**
 * One bus's state and its publish → deliver path. The path is module functions over this record
 * rather than closures inside `createPubSub`: every bus in a tab (several MFEs may share one copy
 * of the library) then runs the same compiled code. With closures, V8 compiled the path for the
 * first bus and recompiled it more slowly once a second bus published: ~30% slower publishes.
 */
export interface BusCore {
  readonly app: string;
  readonly origin: { readonly tabId: string };
  readonly maxDepth: number;
  readonly checkPayloads: boolean;
  readonly clock: Clock;
  readonly onError: ((error: unknown, context: ErrorContext) => void) | undefined;
  /** The message whose handlers run right now, shared by every bus of the tab. */
  readonly context: DeliveryContext;
  /** The subscriptions by pattern; replaced by an empty one when the bus is disposed. */
  trie: TopicTrie<Handler, Subscription>;
  /**
   * Subscriptions made or ended while a delivery reads the trie's lists, applied once it is over
   * (see `settle`).
   */
  readonly held: Subscription[];
  /** Live subscriptions, those held included. */
  subscriptions: number;
  /** For subscriptions with a signal: what takes their abort listener off it. */
  readonly detach: Map<Subscription, () => void>;
  readonly adapters: BusAdapter[];
  /** The adapters with an `admit`: empty unless schemas (or another filter) are attached. */
  readonly admitters: BusAdapter[];
  /**
   * The clone checks of the attached adapters that structured-clone messages (`BusAdapter.clones`):
   * publish runs each distinct one once, so a Proxy is refused there. Empty on a bus without such
   * adapters, which then never ships the check.
   */
  readonly cloneChecks: Array<(message: Message) => void>;
  /** Settlements of async handlers still running; `flush()` waits for them. */
  readonly pending: Set<Promise<unknown>>;
  readonly causes: CausationMemory;
  readonly ids: IdFormatter;
  /** Messages published while handlers run, delivered after the current one (never nested). */
  readonly queue: Message[];
  queueHead: number;
  draining: boolean;
  /** Sequence number of the next message this bus publishes. */
  issued: number;
  disposed: boolean;
  /** Off unless a test or devtools installed the hook before the bus was created. */
  tap: DevtoolsTap | undefined;
  readonly injectedByAdapter: WeakSet<Message>;
  readonly counts: {
    published: number;
    injected: number;
    refused: number;
    delivered: number;
    handlerErrors: number;
    loopsStopped: number;
  };
}

/** Hands an error to `onError`, or rethrows it asynchronously when nobody listens. */
export function report(core: BusCore, error: unknown, errorContext: ErrorContext): void {
  if (errorContext.kind === 'handler') core.counts.handlerErrors++;
  if (core.onError) {
    try {
      core.onError(error, errorContext);
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

/** Throws when the bus was disposed. */
export function assertUsable(core: BusCore, fn: string): void {
  if (core.disposed) {
    throw new SwitchboardError(
      'BUS_DISPOSED',
      `${fn}(): the bus of app '${core.app}' was disposed; create a new bus with createPubSub().`,
    );
  }
}

/** `bus.publish`: checks the topic, then {@link send}. `source` differs for a per-app handle. */
export function publish(
  core: BusCore,
  topic: string,
  payload: unknown,
  publishOptions: PublishOptions | undefined,
  source: string = core.app,
): Message {
  assertUsable(core, 'publish');
  // A topic the matcher's cache knows is valid. Otherwise the matcher checks the characters while
  // it reads the topic for delivery anyway.
  if (!isKnownTopic(core.trie, topic)) {
    if (typeof topic !== 'string' || !scanTopic(core.trie, topic)) assertTopic(topic, 'publish');
  }
  return send(core, topic, payload, publishOptions, source);
}

/** Checks the payload, stamps the message, shows it to the adapters and delivers it. */
export function send(
  core: BusCore,
  topic: string,
  payload: unknown,
  publishOptions: PublishOptions | undefined,
  source: string,
): Message {
  // The flat-object test first: `findUncloneable` is too big to inline, and calling it cost
  // ~8 ns of a ~115 ns publish.
  if (core.checkPayloads && !isFlatPayload(payload)) assertCloneable(topic, 'payload', payload);
  const message = createMessage(core, topic, payload, publishOptions, source);
  // A bus without adapters (one tab, no history) skips the two loops: ~3 ns of a ~90 ns publish.
  const { adapters } = core;
  if (adapters.length > 0) {
    if (core.cloneChecks.length > 0 && core.checkPayloads) runCloneChecks(core.cloneChecks, message);
    for (let i = 0; i < adapters.length; i++) adapters[i]!.check?.(message);
  }
  core.counts.published++;
  if (adapters.length > 0) showAdapters(core, message, false);
  enqueue(core, message);
  return message;
}

/**
 * Runs the bus's clone checks, each distinct one once: they can differ (history's clones everything
 * it stores, cross-tab's only what it posts as an object), and each must pass.
 */
function runCloneChecks(checks: ReadonlyArray<(message: Message) => void>, message: Message): void {
  for (let i = 0; i < checks.length; i++) checks[i]!(message);
}

/**
 * Asks every adapter with an `admit` whether a message from elsewhere may enter; false (counted)
 * when one refuses or throws (reported). Called only when such an adapter is attached, so
 * injected messages cost nothing more without one.
 */
export function admitAll(core: BusCore, message: Message): boolean {
  const { admitters } = core;
  for (let i = 0; i < admitters.length; i++) {
    const adapter = admitters[i]!;
    let admitted = false;
    try {
      admitted = adapter.admit!(message) !== false;
    } catch (error) {
      report(core, error, { kind: 'adapter', adapter: adapter.name, message });
    }
    if (!admitted) {
      core.counts.refused++;
      return false;
    }
  }
  return true;
}

/** Hands a message to every adapter's onPublish (or onInject); one adapter's throw is reported. */
export function showAdapters(core: BusCore, message: Message, injected: boolean): void {
  for (let i = 0; i < core.adapters.length; i++) {
    const adapter = core.adapters[i]!;
    const hook = injected ? adapter.onInject : adapter.onPublish;
    if (hook === undefined) continue;
    try {
      hook.call(adapter, message);
    } catch (error) {
      report(core, error, { kind: 'adapter', adapter: adapter.name, message });
    }
  }
}

/** Delivers `message` now, or after the current delivery when a handler published it. */
export function enqueue(core: BusCore, message: Message): void {
  if (core.draining) {
    core.queue.push(message);
    return;
  }
  core.draining = true;
  const outer = core.context.current;
  try {
    // Nothing is queued when no handler is running: deliver without the queue's round trip.
    deliver(core, message);
    if (core.held.length > 0) settle(core);
    while (core.queueHead < core.queue.length) {
      const next = core.queue[core.queueHead]!;
      core.queue[core.queueHead++] = undefined as never; // let delivered messages be collected
      deliver(core, next);
      if (core.held.length > 0) settle(core);
    }
  } finally {
    if (core.held.length > 0) settle(core);
    if (core.queue.length > 0) core.queue.length = 0;
    core.queueHead = 0;
    core.draining = false;
    core.context.current = outer;
  }
}

function deliver(core: BusCore, message: Message): void {
  if (core.tap !== undefined) observe(core, message);
  // The lists may be the matcher's scratch, read up to its count: nothing is matched again before
  // this loop ends (handlers' publishes are queued), and no list changes meanwhile (subscriptions
  // made or ended by handlers are held until it ends; an ended one is skipped at once).
  const { trie } = core;
  const lists = matchLists(trie, message.topic);
  const count = trie.lastCount;
  if (count === 0) return;
  core.context.current = message;
  let delivered = 0;
  for (let j = 0; j < count; j++) {
    const list = lists[j]!;
    // Counted per list, not per call: an add per handler was ~3% of a routed publish. A list
    // never changes length while this loop reads it.
    const length = list.length;
    delivered += length >> 1;
    for (let i = 0; i < length; i += 2) {
      const fn = list[i] as Handler | undefined;
      if (fn === undefined) {
        delivered--; // unsubscribed during this delivery
        continue;
      }
      try {
        const result = fn(message) as Promise<void> | undefined;
        if (result && typeof (result as Promise<void>).then === 'function') {
          track(core, result, (list[i + 1] as Subscription).pattern, message);
        }
      } catch (error) {
        report(core, error, { kind: 'handler', message, pattern: (list[i + 1] as Subscription).pattern });
      }
    }
  }
  core.counts.delivered += delivered;
}

function observe(core: BusCore, message: Message): void {
  try {
    core.tap!(message, core.injectedByAdapter.has(message));
  } catch (error) {
    report(core, error, { kind: 'adapter', adapter: 'devtools', message });
  }
}

function track(core: BusCore, result: Promise<void>, pattern: string, message: Message): void {
  const settled = Promise.resolve(result).then(undefined, (error: unknown) => {
    report(core, error, { kind: 'handler', message, pattern });
  });
  core.pending.add(settled);
  void settled.finally(() => core.pending.delete(settled));
}

/**
 * Delivers `messages` to one handler only (a retained replay). Inside a delivery the handler runs
 * now, each message as its cause, and what it publishes is queued as usual; outside one, what it
 * publishes is delivered after the replay, never nested inside it.
 */
export function deliverTo(
  core: BusCore,
  messages: readonly Message[],
  handler: Handler,
  pattern: string,
  isActive: () => boolean,
): void {
  const outer = core.context.current;
  const drains = !core.draining;
  core.draining = true;
  try {
    for (const message of messages) {
      if (!isActive() || core.disposed) break;
      core.context.current = message;
      core.counts.delivered++;
      try {
        const result = handler(message) as Promise<void> | undefined;
        if (result && typeof result.then === 'function') track(core, result, pattern, message);
      } catch (error) {
        report(core, error, { kind: 'handler', message, pattern });
      }
    }
    if (drains) {
      if (core.held.length > 0) settle(core);
      while (core.queueHead < core.queue.length) {
        const next = core.queue[core.queueHead]!;
        core.queue[core.queueHead++] = undefined as never;
        deliver(core, next);
        if (core.held.length > 0) settle(core);
      }
    }
  } finally {
    core.context.current = outer;
    if (drains) {
      if (core.held.length > 0) settle(core);
      if (core.queue.length > 0) core.queue.length = 0;
      core.queueHead = 0;
      core.draining = false;
    }
  }
}
