import { SwitchboardError } from './errors.ts';
import type { HandleContext } from './for-app.ts';
import type { Handler } from './pub-sub-bus.ts';
import { createSubscriptionSet } from './subscription-set.ts';
import type { SystemAccess, SystemAccessOptions } from './system-access.ts';
import { systemPolicies, TRANSPORT_NAMESPACES } from './system-rules.ts';
import { describeRule } from './topic-policy.ts';
import { assertPattern, assertTopic } from './topic.ts';

/**
 * The access `systemAccess(handle, namespace)` returns: a granted helper namespace publishes
 * under `$sys.<namespace>.` as the manifest's rules allow; a transport namespace is read-only.
 * Everything is stamped with the handle's app and ends with the handle. A namespace the host did
 * not grant is a denial.
 */
export function createAppAccess(handle: HandleContext, namespace: string, options: SystemAccessOptions): SystemAccess {
  const { app, link, bus, counts } = handle;
  handle.assertOpen('systemAccess');
  const transport = TRANSPORT_NAMESPACES.includes(namespace);
  if (!transport && !handle.helpers.includes(namespace)) {
    const rule = describeRule('helpers', handle.helpers);
    handle.deny(
      'access',
      namespace,
      rule,
      `systemAccess('${namespace}'): app '${app}' was not granted the helper namespace '${namespace}' (${rule}); the host grants it with forApp(bus, '${app}', { helpers }).`,
    );
  }
  const name = options.name ?? namespace;
  const policies = systemPolicies(handle.permissions, namespace, transport ? 'transport' : 'helper');
  const subscriptions = createSubscriptionSet();
  const cleanups = new Set<() => void>();
  // `closing` while the onDispose callbacks run: a helper may still say goodbye in them.
  let state: 'open' | 'closing' | 'released' = 'open';
  counts.accesses++;

  function assertActive(fn: string): void {
    if (state === 'released') {
      handle.assertOpen(fn);
      throw new SwitchboardError(
        'BUS_DISPOSED',
        `${fn}(): this systemAccess('${namespace}') of app '${app}' was released; ask systemAccess() for a new one.`,
      );
    }
  }

  function end(): void {
    if (state !== 'open') return;
    state = 'closing';
    handle.cleanups.delete(end);
    for (const cleanup of [...cleanups]) {
      try {
        cleanup();
      } catch (error) {
        link.reportError(error, { kind: 'adapter', adapter: name });
      }
    }
    cleanups.clear();
    subscriptions.clear();
    state = 'released';
    counts.accesses--;
  }
  handle.cleanups.add(end);

  function authorize(pattern: string, fn: string): 'all' | 'some' {
    assertPattern(pattern, fn);
    const reach = policies.receive.reach(pattern);
    if (reach !== 'none') return reach;
    const rule = policies.receive.ruleFor(pattern);
    return handle.deny(
      'subscribe',
      pattern,
      rule,
      `${fn}('${pattern}') through systemAccess('${namespace}'): app '${app}' may not receive any topic this pattern matches (${rule}).`,
    );
  }

  /** Denies `topic` unless the access may publish it; `fn` is the API checked, `call` the caller's words. */
  function authorizePublish(topic: string, fn: string, call: string): void {
    if (typeof topic === 'string' && policies.publish.allows(topic)) return;
    assertTopic(topic, fn, true);
    const rule = policies.publish.ruleFor(topic);
    handle.deny(
      'publish',
      topic,
      rule,
      `${call} through systemAccess('${namespace}'): app '${app}' may not publish '${topic}' (${rule}); add it to the app's manifest.`,
    );
  }

  return {
    app,
    tabId: handle.tabId,
    namespace,
    publish(topic, payload, publishOptions) {
      assertActive('publish');
      authorizePublish(topic, 'publish', `publish('${topic}')`);
      return link.publishAs(app, topic, payload, publishOptions);
    },
    authorizePublish(topic, fn) {
      assertActive('authorizePublish');
      authorizePublish(topic, 'authorizePublish', fn);
    },
    subscribe<T>(pattern: string, handler: Handler<T>, subscribeOptions?: { signal?: AbortSignal }) {
      assertActive('subscribe');
      let target = handler;
      if (typeof handler === 'function' && authorize(pattern, 'subscribe') === 'some') {
        target = handle.filtered(handler, policies.receive, pattern, 'subscribe');
      }
      return subscriptions.track(bus.subscribe(pattern, target, subscribeOptions), subscribeOptions?.signal);
    },
    receives: (topic) => policies.receive.allows(topic),
    authorize(pattern, fn) {
      assertActive(fn);
      return authorize(pattern, fn);
    },
    lookup: (service) => link.lookup(service),
    provide(service, value) {
      assertActive('provide');
      if (typeof service !== 'string' || !inNamespace(service, namespace)) {
        handle.deny(
          'access',
          service,
          `systemAccess('${namespace}') provides '${namespace}.…' services`,
          `provide('${service}') through systemAccess('${namespace}'): app '${app}' may only provide services named '${namespace}', '${namespace}.…' or 'switchboard.${namespace}.…'.`,
        );
      }
      return link.provide(service, value);
    },
    reportError: (error, context) => link.reportError(error, context),
    onDispose(cleanup) {
      if (state !== 'open') {
        cleanup();
        return () => {};
      }
      cleanups.add(cleanup);
      return () => void cleanups.delete(cleanup);
    },
    release: end,
    get released() {
      return state === 'released';
    },
  };
}

function inNamespace(service: string, namespace: string): boolean {
  return (
    service === namespace || service.startsWith(`${namespace}.`) || service.startsWith(`switchboard.${namespace}.`)
  );
}
