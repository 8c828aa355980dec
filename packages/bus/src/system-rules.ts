import type { AppPermissions } from './manifest.ts';
import { createTopicPolicy, describeRule, type GovernedFamily, type TopicPolicy } from './topic-policy.ts';

/** The helper namespaces a handle is granted when the host does not say: `forApp`'s `helpers`. */
export const DEFAULT_HELPERS: readonly string[] = Object.freeze([
  'rpc',
  'aggregate',
  'saga',
  'circuit',
  'store',
  'retained',
]);

/**
 * The runtime's own namespaces: tabs, leadership, presence and the transports. Never granted to
 * a handle; a helper acting for an app may only read them, as far as the app's permissions go.
 */
export const TRANSPORT_NAMESPACES: readonly string[] = Object.freeze([
  'tab',
  'leader',
  'presence',
  'frame',
  'mqtt',
  'history',
  'app',
]);

/**
 * What every helper may read whatever the manifest says: when tabs come and go and who leads.
 * They carry no app data, and RPC, breakers and stores cannot work without them.
 */
const LIFECYCLE = ['$sys.tab.#', '$sys.leader.#', '$sys.presence.#'];

type ListOf = (permissions: AppPermissions) => readonly string[] | undefined;

interface Governance {
  readonly family: string;
  readonly rule: string;
  readonly list: ListOf;
}

// A helper's system topics name what a permission is about, so the manifest's rules become
// topic patterns: `rpc.call: ['inventory.#']` allows publishing `$sys.rpc.request.inventory.#`.
// A family is every topic under its prefix, the prefix itself included: a topic that names
// nothing (`$sys.rpc.request` alone) matches no rule and is refused, so no message can carry
// what a rule governs in its payload instead of its topic.
const PUBLISHING: Record<string, readonly Governance[]> = {
  rpc: [
    { family: '$sys.rpc.request.#', rule: 'rpc.call', list: (p) => p.rpc?.call },
    { family: '$sys.rpc.announce.#', rule: 'rpc.handle', list: (p) => p.rpc?.handle },
  ],
  store: [{ family: '$sys.store.propose.#', rule: 'stores.write', list: (p) => p.stores?.write }],
};
const RECEIVING: Record<string, readonly Governance[]> = {
  rpc: [{ family: '$sys.rpc.request.#', rule: 'rpc.handle', list: (p) => p.rpc?.handle }],
};

/** What a helper acting for an app may publish and receive through `systemAccess(handle, namespace)`. */
export interface SystemPolicies {
  readonly publish: TopicPolicy;
  readonly receive: TopicPolicy;
}

/**
 * The policies of an access in `namespace`: a granted helper publishes under `$sys.<namespace>.`
 * and reads it; a transport namespace is read-only. Both read the lifecycle topics and whatever
 * the app may subscribe to. Without permissions, nothing is governed by a manifest.
 */
export function systemPolicies(
  permissions: AppPermissions | undefined,
  namespace: string,
  kind: 'helper' | 'transport',
): SystemPolicies {
  const own = `$sys.${namespace}.#`;
  const appReads = permissions === undefined ? ['#', '$sys.#'] : (permissions.subscribe ?? []);
  const publish =
    kind === 'helper'
      ? createTopicPolicy(
          [own],
          `systemAccess('${namespace}') publishes under '$sys.${namespace}.'`,
          governed(permissions, PUBLISHING[namespace]),
        )
      : createTopicPolicy([], `'$sys.${namespace}.' belongs to the runtime and is read-only for apps`);
  const reads = kind === 'helper' ? [own, ...LIFECYCLE, ...appReads] : [...LIFECYCLE, ...appReads];
  const receive = createTopicPolicy(
    reads,
    describeRule('subscribe', permissions === undefined ? ['#'] : permissions.subscribe),
    kind === 'helper' ? governed(permissions, RECEIVING[namespace]) : [],
  );
  return { publish, receive };
}

function governed(permissions: AppPermissions | undefined, table: readonly Governance[] | undefined): GovernedFamily[] {
  if (permissions === undefined || table === undefined) return [];
  return table.map(({ family, rule, list }) => {
    const prefix = family.slice(0, -'.#'.length);
    const names = list(permissions) ?? [];
    // A name has at least one segment: `#` stands for every name, not for the bare prefix.
    const allowed = names.map((name) => `${prefix}.${name === '#' ? '+.#' : name}`);
    return { family, rule: describeRule(rule, names), allowed };
  });
}
