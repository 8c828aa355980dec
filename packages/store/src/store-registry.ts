import type { AnyBus, PubSubBus } from '@switchboard/bus';
import type { StoreDefinition } from './define-store.ts';
import { describeValue, StoreError } from './errors.ts';
import { connectHost } from './host-link.ts';
import { isStoreId } from './protocol.ts';
import type { Replica } from './replica-types.ts';
import { createCommands } from './commands.ts';
import { createStoreHandle, type Store } from './store-handle.ts';
import { attachStores } from './store-service.ts';
import { STORE_SERVICE, type StoreService } from './store-service-types.ts';
import { runTransaction, type Transaction } from './transaction.ts';

/** Options of {@link createStoreRegistry}. */
export interface StoreRegistryOptions {
  /**
   * How long an instance nobody subscribes to stays loaded after its last listener left (and it
   * has no pending write); `Infinity` keeps instances until `drop()`.
   * @default 60000
   */
  releaseAfterMs?: number;
  /**
   * How long `dispatch` waits for the owner of a store to run a command in another tab.
   * @default 5000
   */
  commandTimeoutMs?: number;
}

/** Options of `registry.get()` and `registry.preload()`. */
export interface GetStoreOptions {
  /** Which instance; stores of one definition with different ids are independent. @default the definition's name */
  storeId?: string;
}

/** The stores of one app (one MFE) in this tab; every registry of the tab shares their state. */
export interface StoreRegistry {
  /** The app this registry writes as. */
  readonly app: string;
  /** The instance of `definition` with `storeId`, created on first use (check `ready`). */
  get<T, C>(definition: StoreDefinition<T, C>, options?: GetStoreOptions): Store<T, C>;
  /** Loads an instance ahead of use; resolves once it has its state. */
  preload<T, C>(definition: StoreDefinition<T, C>, options?: GetStoreOptions): Promise<Store<T, C>>;
  /** True when this registry has the instance loaded. */
  has(storeId: string): boolean;
  /** Unloads an instance from this tab: its pending writes are rejected, its listeners dropped. */
  drop(storeId: string): void;
  /** Drops every instance this registry loaded. */
  clear(): void;
  /** Runs `fn`; listeners of the stores it writes are called once, after it. */
  batch(fn: () => void): void;
  /**
   * Changes several stores atomically: every tab sees all the changes or none. The action's
   * writes are staged and proposed together when it returns; if it throws or calls
   * `tx.abort(reason)`, nothing is applied and its compensations run, last first.
   */
  transaction<R>(action: (tx: Transaction) => R | Promise<R>): Promise<R>;
  /** Resolves once every write made through this tab's stores is applied and the bus is settled. */
  flush(): Promise<void>;
  /** Drops every instance and stops listening. */
  dispose(): void;
}

/**
 * Creates the store registry of an app. Instances are shared by every registry of the tab (one
 * per MFE); writes are checked against the store's owner.
 *
 * @example
 * import { createStoreRegistry, defineStore } from '@switchboard/store';
 * const counter = defineStore({ name: 'demo.counter', initial: 0, owner: 'orders', scope: 'origin' });
 * const stores = createStoreRegistry(bus);
 * const count = stores.get(counter);
 * await count.ready;
 * await count.update((n) => n + 1);
 */
export function createStoreRegistry(bus: AnyBus, options: StoreRegistryOptions = {}): StoreRegistry {
  const { releaseAfterMs = 60_000, commandTimeoutMs = 5000 } = options;
  const link = connectHost(bus, `store:${bus.app}`);
  const service = link.lookup<StoreService>(STORE_SERVICE) ?? attachOnFullBus(bus, link);
  const app = link.app;
  const loaded = new Map<
    string,
    { replica: Replica; handle: Store<never, never>; listening: number; timer: unknown }
  >();
  let disposed = false;
  // Proposals go out through this app's access: on a handle the host checks them against the
  // manifest's `stores.write` too.
  const writer = service.writer(app, (topic, payload) => link.publish(topic, payload));
  const permissions = (bus as { permissions?: { stores?: { write?: readonly string[] } } }).permissions;

  function mayWrite(storeId: string): boolean {
    const entry = loaded.get(storeId);
    if (entry !== undefined && entry.replica.definition.owner === app) return true;
    return (permissions?.stores?.write ?? []).some((pattern) => matches(pattern, storeId));
  }

  function assertWritable(storeId: string, fn: string): void {
    if (disposed)
      throw new StoreError('BUS_DISPOSED', storeId, `${fn}('${storeId}'): the registry of app '${app}' was disposed.`);
    if (mayWrite(storeId)) return;
    const owner = loaded.get(storeId)?.replica.definition.owner;
    const error = new StoreError(
      'PERMISSION_DENIED',
      storeId,
      `${fn}('${storeId}'): app '${app}' may not write this store, owned by '${owner}'; let '${owner}' write it, or list '${storeId}' in the manifest's stores.write of '${app}'.`,
    );
    throw error;
  }

  const commands = createCommands({
    link,
    service,
    writer,
    timeoutMs: commandTimeoutMs,
    isOwner: (replica) => replica.definition.owner === app,
    loaded: (storeId) => loaded.get(storeId)?.replica,
    publishEvent: (topic, payload, meta) => bus.publish(topic, payload, meta),
  });

  function release(storeId: string): void {
    const entry = loaded.get(storeId);
    if (entry === undefined) return;
    service.clock.clearTimeout(entry.timer);
    loaded.delete(storeId);
    service.release(storeId, droppedError(storeId));
  }

  const droppedError = (storeId: string) =>
    new StoreError('ABORTED', storeId, `store '${storeId}' was dropped from this tab before the write was applied.`);

  const registry: StoreRegistry = {
    app,
    get<T, C>(definition: StoreDefinition<T, C>, getOptions: GetStoreOptions = {}) {
      if (disposed)
        throw new StoreError('BUS_DISPOSED', undefined, `registry.get(): the registry of app '${app}' was disposed.`);
      if (typeof definition?.name !== 'string' || typeof definition.owner !== 'string') {
        throw new StoreError(
          'INVALID_OPTION',
          undefined,
          `registry.get(): expected a definition from defineStore(), got ${describeValue(definition)}.`,
        );
      }
      const storeId = getOptions.storeId ?? definition.name;
      if (!isStoreId(storeId)) {
        throw new StoreError(
          'INVALID_OPTION',
          undefined,
          `registry.get(${definition.name}): storeId must be segments of letters, digits, '_', '-' or ':' joined by dots; got ${describeValue(storeId)}.`,
        );
      }
      const existing = loaded.get(storeId);
      if (existing !== undefined) {
        if (existing.replica.definition.name !== definition.name) {
          throw new StoreError(
            'INVALID_OPTION',
            storeId,
            `registry.get(${definition.name}): storeId '${storeId}' already belongs to store '${existing.replica.definition.name}'; give this instance another storeId.`,
          );
        }
        return existing.handle as unknown as Store<T, C>;
      }
      const replica = service.acquire(definition as unknown as StoreDefinition<unknown, never>, storeId);
      const handle = createStoreHandle<T, C>(replica, {
        writer,
        assertWritable,
        mayWrite,
        dispatch: (target, command, payload) => commands.dispatch(target, command, payload),
        touch(target, delta) {
          const entry = loaded.get(target.storeId);
          if (entry === undefined) return;
          entry.listening += delta;
          service.clock.clearTimeout(entry.timer);
          if (entry.listening === 0 && Number.isFinite(releaseAfterMs)) {
            entry.timer = service.clock.setTimeout(() => {
              if (entry.listening === 0 && entry.replica.pendingWrites === 0) release(target.storeId);
            }, releaseAfterMs);
          }
        },
      });
      loaded.set(storeId, {
        replica,
        handle: handle as unknown as Store<never, never>,
        listening: 0,
        timer: undefined,
      });
      return handle;
    },
    async preload(definition, getOptions) {
      const store = registry.get(definition, getOptions);
      await store.ready;
      return store;
    },
    has: (storeId) => loaded.has(storeId),
    drop: release,
    clear() {
      for (const storeId of [...loaded.keys()]) registry.drop(storeId);
    },
    batch(fn) {
      const replicas = service.replicas();
      for (const replica of replicas) replica.hold();
      try {
        fn();
      } finally {
        for (const replica of replicas) replica.release();
      }
    },
    transaction: (action) => runTransaction({ service, writer, assertWritable, report: service.report }, action),
    async flush() {
      await bus.flush();
      await service.idle();
      await commands.idle();
      await bus.flush();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const storeId of [...loaded.keys()]) release(storeId);
      commands.stop();
      link.detach();
    },
  };
  link.onDispose(() => registry.dispose());
  return registry;
}

/** MQTT-style match of a store id against a manifest pattern (`orders.#`, `+.cart`). */
function matches(pattern: string, storeId: string): boolean {
  const want = pattern.split('.');
  const have = storeId.split('.');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '#') return true;
    if (i >= have.length || (want[i] !== '+' && want[i] !== have[i])) return false;
  }
  return want.length === have.length;
}

/** A full bus without stores gets them; a handle's host must have attached them. */
function attachOnFullBus(bus: AnyBus, link: { detach(): void }): StoreService {
  if (typeof (bus as Partial<PubSubBus>).attach === 'function') return attachStores(bus as PubSubBus);
  link.detach();
  throw new StoreError(
    'INVALID_OPTION',
    undefined,
    `createStoreRegistry(): the tab of app '${bus.app}' has no stores; the shell calls attachStores(bus) on the bus it creates, before it hands out handles.`,
  );
}
