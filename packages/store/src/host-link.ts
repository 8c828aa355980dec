import type { AdapterLink, Handler, Message, PubSubBus, Unsubscribe } from '@switchboard/bus';

/** What the stores need of a bus beyond an app's API: `$sys.store.` topics, services, errors. */
export interface HostLink {
  readonly app: string;
  readonly tabId: string;
  publish(topic: string, payload: unknown, causationId?: string): Message;
  subscribe(pattern: string, handler: Handler): Unsubscribe;
  lookup<T>(name: string): T | undefined;
  provide(name: string, service: unknown): void;
  reportError(error: unknown): void;
  /** Runs `cleanup` when the bus is disposed or the link detached. */
  onDispose(cleanup: () => void): void;
  detach(): void;
}

/** Reaches `$sys.store.` through a no-op adapter on the full bus. */
export function connectHost(bus: PubSubBus, name: string): HostLink {
  let link!: AdapterLink;
  const unsubscribes: Unsubscribe[] = [];
  const withdrawals: Array<() => void> = [];
  const cleanups: Array<() => void> = [];
  let detached = false;
  const end = (): void => {
    if (detached) return;
    detached = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    for (const withdraw of withdrawals.splice(0)) withdraw();
  };
  const detachAdapter = bus.attach({
    name,
    connect(connected) {
      link = connected;
    },
    disconnect: end,
  });
  return {
    app: bus.app,
    tabId: bus.tabId,
    publish: (topic, payload, causationId) =>
      link.publishSystem(topic, payload, causationId === undefined ? undefined : { causationId }),
    subscribe(pattern, handler) {
      const unsubscribe = bus.subscribe(pattern, handler);
      unsubscribes.push(unsubscribe);
      return unsubscribe;
    },
    lookup: (service) => link.lookup(service),
    provide: (service, value) => void withdrawals.push(link.provide(service, value)),
    reportError: (error) => link.reportError(error, { kind: 'adapter', adapter: name }),
    onDispose: (cleanup) => void cleanups.push(cleanup),
    detach() {
      end();
      detachAdapter();
    },
  };
}
