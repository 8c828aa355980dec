import type { LockManagerLike } from '@switchboard/cross-tab';

/** Web Locks in one process, for leader election in unit tests; see {@link createFakeLocks}. */
export interface FakeLocks extends LockManagerLike {
  /** Whether some request holds the lock `name` now. */
  isHeld(name: string): boolean;
}

interface LockRequest {
  readonly callback: (lock: unknown) => Promise<void>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Creates an in-process stand-in for `navigator.locks` (exclusive locks only): one holder per
 * name, a first-come queue, requests withdrawn by their `signal`. Grants happen in a microtask, so
 * `await tabs.settle()` lets them through. Pass it as cross-tab's `locks` option with
 * `leaderElection: 'locks'`.
 *
 * @example
 * import { createFakeLocks, createTestTabs } from '@switchboard/testing';
 * const tabs = createTestTabs({ leaderElection: 'locks', locks: createFakeLocks() });
 * const a = tabs.open('tab-a');
 * await tabs.settle();
 * a.crossTab.isLeader(); // true: the first in line holds the lock
 */
export function createFakeLocks(): FakeLocks {
  const queues = new Map<string, LockRequest[]>();
  const held = new Set<string>();

  function grantNext(name: string): void {
    if (held.has(name)) return;
    const next = queues.get(name)?.shift();
    if (next === undefined) return;
    held.add(name);
    void next.callback({ name, mode: 'exclusive' }).then(
      (value) => {
        held.delete(name);
        next.resolve(value);
        grantNext(name);
      },
      (error: unknown) => {
        held.delete(name);
        next.reject(error);
        grantNext(name);
      },
    );
  }

  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const request: LockRequest = { callback, resolve, reject };
        const queue = queues.get(name) ?? [];
        queues.set(name, [...queue, request]);
        options.signal?.addEventListener('abort', () => {
          const waiting = queues.get(name) ?? [];
          if (!waiting.includes(request)) return;
          waiting.splice(waiting.indexOf(request), 1);
          reject(new DOMException('The request was aborted.', 'AbortError'));
        });
        queueMicrotask(() => grantNext(name));
      });
    },
    isHeld: (name) => held.has(name),
  };
}
