/** Called with a store's new value and the one its listeners saw before. */
export type ChangeListener = (value: unknown, previous: unknown) => void;

/**
 * A replica's listeners: told when the value they see changes (by identity), not for every
 * write; held while several stores apply one transaction, so none is seen half applied.
 */
export interface ChangeListeners {
  subscribe(listener: ChangeListener): () => void;
  readonly size: number;
  /** Tells the listeners about `read()` unless held, closed, or unchanged. */
  notify(read: () => unknown): void;
  hold(): void;
  /** Ends a hold; the last one notifies about `read()`. */
  release(read: () => unknown): void;
  close(): void;
}

/** Creates the listeners of a store whose listeners first saw `initial`. */
export function createChangeListeners(initial: unknown, report: (error: unknown) => void): ChangeListeners {
  const listeners = new Set<ChangeListener>();
  let lastSeen = initial;
  let held = 0;
  let closed = false;

  function notify(read: () => unknown): void {
    if (held > 0 || closed) return;
    const value = read();
    if (Object.is(value, lastSeen)) return;
    const previous = lastSeen;
    lastSeen = value;
    for (const listener of [...listeners]) {
      try {
        listener(value, previous);
      } catch (error) {
        report(error);
      }
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get size() {
      return listeners.size;
    },
    notify,
    hold() {
      held++;
    },
    release(read) {
      held--;
      if (held === 0) notify(read);
    },
    close() {
      closed = true;
      listeners.clear();
    },
  };
}
