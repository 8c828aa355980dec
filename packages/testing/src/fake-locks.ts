/** Options of a lock request, as in the Web Locks API (exclusive mode only). */
export interface FakeLockOptions {
  /** Grant only if no one holds the lock; otherwise call back with `null` at once. */
  ifAvailable?: boolean;
  /** Aborting drops a request still waiting in the queue. */
  signal?: AbortSignal;
}

/** One tab's `navigator.locks`: the subset of `LockManager` Switchboard uses. */
export interface FakeLockManager {
  request<T>(
    name: string,
    options: FakeLockOptions,
    callback: (lock: { name: string } | null) => Promise<T>,
  ): Promise<T>;
}

/** Web Locks shared by simulated tabs of one origin. */
export interface FakeLocks {
  /** The lock manager of tab `tabId` (the same one for every call with that id). */
  forTab(tabId: string): FakeLockManager;
  /**
   * Closes a tab as the browser does: the locks it holds are released at once (whatever its
   * callbacks are still doing) and its waiting requests are dropped; its manager grants nothing
   * more.
   */
  closeTab(tabId: string): void;
  /** The tab holding `name`, or undefined. */
  holder(name: string): string | undefined;
}

interface Waiting {
  readonly tabId: string;
  readonly grant: () => void;
}

/**
 * Web Locks (`navigator.locks`) in one process for unit tests: exclusive locks, a FIFO queue per
 * name, `ifAvailable`, abortable requests, and tabs that can be closed with their locks released.
 *
 * @example
 * import { createFakeLocks } from '@switchboard/testing';
 * const locks = createFakeLocks();
 * const saga = createSaga(bus, { name: 'checkout', durable: log, locks: locks.forTab('t-a') });
 * locks.closeTab('t-a'); // another tab's waiting request is granted now
 */
export function createFakeLocks(): FakeLocks {
  const held = new Map<string, string>();
  const queues = new Map<string, Waiting[]>();
  const managers = new Map<string, FakeLockManager>();
  const closed = new Set<string>();

  function release(name: string, tabId: string): void {
    if (held.get(name) !== tabId) return;
    held.delete(name);
    const next = queues.get(name)?.shift();
    next?.grant();
  }

  function managerFor(tabId: string): FakeLockManager {
    return {
      request(name, options, callback) {
        if (closed.has(tabId)) return new Promise(() => {});
        if (options.ifAvailable === true && held.has(name)) return callback(null);
        return new Promise((resolve, reject) => {
          const waiting: Waiting = {
            tabId,
            grant() {
              options.signal?.removeEventListener('abort', onAbort);
              held.set(name, tabId);
              callback({ name })
                .then(resolve, reject)
                .finally(() => release(name, tabId));
            },
          };
          const onAbort = (): void => {
            const queue = queues.get(name) ?? [];
            if (!queue.includes(waiting)) return;
            queue.splice(queue.indexOf(waiting), 1);
            reject(new DOMException('The lock request was aborted.', 'AbortError'));
          };
          if (options.signal?.aborted) return onAbort();
          options.signal?.addEventListener('abort', onAbort, { once: true });
          if (!held.has(name)) waiting.grant();
          else queues.set(name, [...(queues.get(name) ?? []), waiting]);
        });
      },
    };
  }

  return {
    forTab(tabId) {
      let manager = managers.get(tabId);
      if (manager === undefined) {
        manager = managerFor(tabId);
        managers.set(tabId, manager);
      }
      return manager;
    },
    closeTab(tabId) {
      closed.add(tabId);
      for (const [name, queue] of queues) {
        queues.set(
          name,
          queue.filter((waiting) => waiting.tabId !== tabId),
        );
      }
      for (const [name, holder] of [...held]) if (holder === tabId) release(name, tabId);
    },
    holder: (name) => held.get(name),
  };
}
