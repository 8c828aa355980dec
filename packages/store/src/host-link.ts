import { type AnyBus, type Handler, type Message, systemAccess, type Unsubscribe } from '@switchboard/bus';

/** What the stores need of a bus beyond an app's API: `$sys.store.` topics, services, errors. */
export interface HostLink {
  readonly app: string;
  readonly tabId: string;
  publish(topic: string, payload: unknown): Message;
  subscribe(pattern: string, handler: Handler): Unsubscribe;
  lookup<T>(name: string): T | undefined;
  provide(name: string, service: unknown): void;
  reportError(error: unknown): void;
  /** Runs `cleanup` when the bus or handle is disposed, or the link detached. */
  onDispose(cleanup: () => void): void;
  detach(): void;
}

/**
 * Reaches `$sys.store.` through `systemAccess(bus, 'store')`: unrestricted on the full bus; on a
 * handle, acting as its app within what the host granted (its `stores.write` governs
 * `$sys.store.propose.<storeId>`), and released with the handle.
 */
export function connectHost(bus: AnyBus, name: string): HostLink {
  const access = systemAccess(bus, 'store', { name });
  return {
    app: access.app,
    tabId: access.tabId,
    publish: (topic, payload) => access.publish(topic, payload),
    subscribe: (pattern, handler) => access.subscribe(pattern, handler),
    lookup: (service) => access.lookup(service),
    provide: (service, value) => void access.provide(service, value),
    reportError: (error) => access.reportError(error, { kind: 'adapter', adapter: name }),
    onDispose: (cleanup) => void access.onDispose(cleanup),
    detach: () => access.release(),
  };
}
