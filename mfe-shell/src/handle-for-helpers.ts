import {
  SwitchboardError,
  systemAccess,
  systemClock,
  type AdapterLink,
  type BusAdapter,
  type Handler,
  type PubSubBus,
  type SubscribeOptions,
  type SystemAccess,
} from '@switchboard/bus';
import type { AppBus } from '@switchboard/bus/apps';

/**
 * An MFE's handle, shaped for the helpers of `@switchboard/patterns` as they are today: they
 * reach `$sys.` by attaching an adapter to the bus they are given, and subscribe to `$sys.`
 * topics on it. Here `attach` connects them through `systemAccess(handle, namespace)` instead
 * (the namespace is the adapter's name before any `:`), and `$sys.` subscriptions go through an
 * access too: what they publish carries the app's `source`, stays in the namespaces the shell
 * granted, and `inject` is refused. Everything else is the handle itself. Once the helpers take a
 * `Bus` and ask `systemAccess` themselves, the shell hands the handle over as it is.
 */
export function forHelpers(handle: AppBus): PubSubBus {
  // One access per `$sys.` namespace subscribed to; all end with the handle.
  const readers = new Map<string, SystemAccess>();
  const attached = new Set<string>();

  function reader(namespace: string): SystemAccess {
    let access = readers.get(namespace);
    if (access === undefined || access.released) {
      access = systemAccess(handle, namespace, { name: `${namespace}:reads` });
      readers.set(namespace, access);
    }
    return access;
  }

  function subscribe(pattern: string, handler: Handler<never>, options?: SubscribeOptions): () => void {
    const [head, namespace] = pattern.split('.');
    if (head === '$sys' && namespace !== undefined) return reader(namespace).subscribe(pattern, handler, options);
    return handle.subscribe(pattern, handler, options);
  }

  return {
    app: handle.app,
    tabId: handle.tabId,
    get disposed() {
      return handle.disposed;
    },
    publish: (topic, payload, options) => handle.publish(topic, payload, options),
    subscribe,
    once: (pattern, handler, options) => handle.once(pattern, handler, options),
    waitFor: (pattern, options) => handle.waitFor(pattern, options),
    flush: () => handle.flush(),
    dispose: () => handle.dispose(),
    attach(adapter: BusAdapter) {
      const namespace = adapter.name.split(':')[0]!;
      const access = systemAccess(handle, namespace, { name: adapter.name });
      attached.add(adapter.name);
      const refused = (fn: string) => (): never => {
        throw new SwitchboardError(
          'UNSUPPORTED',
          `${fn}(): the helper '${adapter.name}' of app '${handle.app}' acts through a handle, which cannot ${fn === 'inject' ? 'inject messages' : 'publish for another app'}.`,
        );
      };
      const link: AdapterLink = {
        app: handle.app,
        tabId: handle.tabId,
        clock: systemClock,
        inject: refused('inject'),
        publishAs: refused('publishAs'),
        publishSystem: (topic, payload, options) => access.publish(topic, payload, options),
        admit: () => true,
        reportError: (error, context) => access.reportError(error, context),
        provide: (name, service) => access.provide(name, service),
        lookup: (name) => access.lookup(name),
      };
      adapter.connect(link);
      access.onDispose(() => {
        attached.delete(adapter.name);
        adapter.disconnect?.();
      });
      return () => access.release();
    },
    stats() {
      const own = handle.stats();
      return {
        published: own.published,
        injected: 0,
        refused: 0,
        delivered: 0,
        handlerErrors: 0,
        loopsStopped: 0,
        subscriptions: own.subscriptions,
        pendingHandlers: 0,
        cachedTopics: 0,
        adapters: [...attached],
      };
    },
  } as PubSubBus;
}
