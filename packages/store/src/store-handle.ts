import type { NoCommands, StoreDefinition } from './define-store.ts';
import type { Readable } from './readable.ts';
import { select, type Equals } from './readable.ts';
import type { Replica } from './replica-types.ts';
import type { Writer } from './write.ts';

/**
 * One store instance, as an app sees it: read anywhere, written by its owner and the apps the
 * manifest's `stores.write` names.
 */
export interface Store<T, C = NoCommands> extends Readable<T> {
  readonly storeId: string;
  readonly definition: StoreDefinition<T, C>;
  /** The version of the state last confirmed (by the sequencer for `scope: 'origin'`). */
  readonly version: number;
  /** Resolves once the store has its state (from the open tabs, storage, or `initial`). */
  readonly ready: Promise<void>;
  /** True once `ready` has resolved: read it where a promise cannot be awaited (a render). */
  readonly loaded: boolean;
  /** True when this app may write (the owner, or named by `stores.write`). */
  readonly writable: boolean;
  /** This tab's writes not yet confirmed. */
  readonly pending: number;
  /**
   * Replaces the state. Seen at once in this tab; resolves with the version once applied in
   * every tab (for `'origin'`). Throws `PERMISSION_DENIED` for an app that may not write.
   */
  set(value: T): Promise<number>;
  /**
   * Updates the state from the latest one. `fn` runs in this tab, again if another tab's write
   * came first (optimistic concurrency): keep it pure. The update is never lost to a concurrent
   * one and applied once.
   */
  update(fn: (state: T) => T): Promise<number>;
  /** A slice that notifies only when it changes. */
  select<S>(selector: (state: T) => S, equals?: Equals<S>): Readable<S>;
  /**
   * Runs a command of the definition: in this tab if this app owns the store, otherwise by the
   * owner in a tab where it is loaded. Resolves with the version once committed.
   */
  dispatch<K extends keyof C & string>(command: K, payload: C[K]): Promise<number>;
}

/** What a store handle needs from its registry. */
export interface HandleHost {
  readonly writer: Writer;
  assertWritable(storeId: string, fn: string): void;
  mayWrite(storeId: string): boolean;
  dispatch(replica: Replica, command: string, payload: unknown): Promise<number>;
  touch(replica: Replica, listening: number): void;
}

/** Creates the app's handle on a replica. */
export function createStoreHandle<T, C>(replica: Replica, host: HandleHost): Store<T, C> {
  const { storeId } = replica;
  function write(apply: (state: unknown) => unknown, label: string, absolute = false): Promise<number> {
    host.assertWritable(storeId, label);
    return new Promise((resolve, reject) => {
      replica.write({ apply, label, writer: host.writer, resolve, reject, absolute });
    });
  }
  const store: Store<T, C> = {
    storeId,
    definition: replica.definition as unknown as StoreDefinition<T, C>,
    get version() {
      return replica.version;
    },
    ready: replica.ready,
    get loaded() {
      return replica.loaded;
    },
    get writable() {
      return host.mayWrite(storeId);
    },
    get pending() {
      return replica.pendingWrites;
    },
    get: () => replica.view() as T,
    subscribe(listener) {
      const unsubscribe = replica.subscribe(listener as (value: unknown, previous: unknown) => void);
      host.touch(replica, 1);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        unsubscribe();
        host.touch(replica, -1);
      };
    },
    set: (value) => write(() => value, 'set', true),
    update(fn) {
      if (typeof fn !== 'function') {
        return Promise.reject(new TypeError(`update('${storeId}'): expected a function (state) => state.`));
      }
      return write(fn as (state: unknown) => unknown, 'update');
    },
    select: (selector, equals) => select(store, selector, equals),
    dispatch: (command, payload) => host.dispatch(replica, command, payload),
  };
  return store;
}
