import type { BusCore } from './bus-core.ts';
import type { Handler, Unsubscribe } from './pub-sub-bus.ts';
import { assertPattern } from './topic.ts';
import { addEntry, forEachList, listAt, removeEntry, tokenIndex, UNCHECKED } from './trie-entries.ts';

/**
 * One subscription: the token the trie stores beside its handler, and what its `unsubscribe`
 * holds. It knows its node, so an unsubscribe finds its list without a walk.
 */
export interface Subscription {
  readonly core: BusCore;
  readonly pattern: string;
  /** The handler; undefined once unsubscribed. */
  fn: Handler | undefined;
  /** The trie node whose list it is in; -1 while a subscription made during a delivery waits to join. */
  node: number;
}

/**
 * Subscribes `fn` to `pattern` and returns its `unsubscribe`; throws a `TopicError` naming the
 * rule, as `caller`, for a pattern that is not valid. During a delivery the trie's lists are being
 * read, so the subscription joins once that message has reached every subscriber (it receives
 * messages from the next one on, as the bus promises).
 */
export function subscribeHandler(
  core: BusCore,
  pattern: string,
  fn: Handler,
  signal: AbortSignal | undefined,
  caller: string,
): Unsubscribe {
  const subscription: Subscription = { core, pattern, fn, node: -1 };
  if (core.draining) {
    assertPattern(pattern, caller);
    core.held.push(subscription);
  } else {
    // The trie checks the common case while it follows the pattern; the rest, in detail, here.
    let node = typeof pattern === 'string' ? addEntry(core.trie, pattern, fn, subscription, false) : UNCHECKED;
    if (node === UNCHECKED) {
      assertPattern(pattern, caller);
      node = addEntry(core.trie, pattern, fn, subscription, true);
    }
    subscription.node = node;
  }
  core.subscriptions++;
  const off = unsubscriber(subscription);
  if (signal !== undefined) {
    // Kept apart from the subscription, which then stays small: few subscriptions have a signal.
    signal.addEventListener('abort', off, { once: true });
    core.detach.set(subscription, () => signal.removeEventListener('abort', off));
  }
  return off;
}

/** Ends every subscription of a bus being disposed; their handlers are never called again. */
export function endAll(core: BusCore): void {
  forEachList(core.trie, (list) => {
    for (let i = 0; i < list.length; i += 2) {
      list[i] = undefined; // a delivery under way skips it
      (list[i + 1] as Subscription).fn = undefined;
    }
  });
  for (const subscription of core.held) subscription.fn = undefined;
  core.held.length = 0;
  for (const detach of core.detach.values()) detach();
  core.detach.clear();
  core.subscriptions = 0;
}

/** {@link subscribeHandler} for the first matching message only. */
export function subscribeOnce(
  core: BusCore,
  pattern: string,
  handler: Handler,
  signal: AbortSignal | undefined,
  caller: string,
): Unsubscribe {
  const off = subscribeHandler(
    core,
    pattern,
    (message) => {
      off();
      return handler(message);
    },
    signal,
    caller,
  );
  return off;
}

/**
 * The `unsubscribe` of a subscription: a closure over it alone. (A bound function would be
 * smaller, but `bind` takes V8's slow path, ~300 ns, on a function whose `name` a build tool
 * redefined, as esbuild's `keepNames` and tsx do.)
 */
function unsubscriber(subscription: Subscription): Unsubscribe {
  return () => unsubscribe(subscription);
}

function unsubscribe(subscription: Subscription): void {
  const { core } = subscription;
  if (subscription.fn === undefined) return;
  subscription.fn = undefined;
  core.subscriptions--;
  if (core.detach.size > 0) {
    core.detach.get(subscription)?.();
    core.detach.delete(subscription);
  }
  if (subscription.node < 0) return; // it never joined: settle() drops it
  if (core.draining) {
    // A delivery reads the list: blank the handler in place, take it out once it is over.
    const list = listAt(core.trie, subscription.pattern, subscription.node);
    list[tokenIndex(list, subscription) - 1] = undefined;
    core.held.push(subscription);
  } else {
    leave(subscription);
  }
}

function leave(subscription: Subscription): void {
  removeEntry(subscription.core.trie, subscription.pattern, subscription, subscription.node);
  subscription.node = -1;
}

/**
 * Applies the subscriptions and unsubscriptions held during a delivery, in the order they were
 * made; called between deliveries, when no list is being read.
 */
export function settle(core: BusCore): void {
  const { held } = core;
  for (let i = 0; i < held.length; i++) {
    const subscription = held[i]!;
    if (subscription.node >= 0) {
      if (subscription.fn === undefined) leave(subscription);
    } else if (subscription.fn !== undefined) {
      subscription.node = addEntry(core.trie, subscription.pattern, subscription.fn, subscription, true);
    }
  }
  held.length = 0;
}
