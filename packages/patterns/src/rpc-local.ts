import type { SystemAccess } from '@switchboard/bus';
import type { RpcHandler } from './rpc-api.ts';

/**
 * One rpc of this tab's bus as in-tab callers see it. Shared with every rpc on the bus, of any
 * app and any bundled copy of this package, through the bus's service {@link LOCAL_SERVICE}.
 */
export interface LocalEndpoint {
  readonly handlers: ReadonlyMap<string, RpcHandler<never, unknown>>;
  /** The handler's side of the rules: may its app receive this request topic? */
  receives(topic: string): boolean;
}

// Versioned by its name: the first protocol's endpoints carried no `receives`, and an in-tab
// call must check both sides' rules, so the two never share a set.
const LOCAL_SERVICE = 'switchboard.rpc.local.v2';

/** The endpoints of this bus, `self` among them; `leave()` takes it out (when its rpc is disposed). */
export function joinLocalEndpoints(
  access: SystemAccess,
  self: LocalEndpoint,
): { readonly endpoints: ReadonlySet<LocalEndpoint>; leave(): void } {
  let endpoints = access.lookup<Set<LocalEndpoint>>(LOCAL_SERVICE);
  if (endpoints === undefined) {
    endpoints = new Set();
    access.provide(LOCAL_SERVICE, endpoints);
  }
  const joined = endpoints;
  joined.add(self);
  return { endpoints: joined, leave: () => void joined.delete(self) };
}

/**
 * The handler an in-tab call runs: `self`'s own first, then any other rpc of the bus, skipping
 * one whose app may not receive `topic`. The caller's side is checked before (it may publish
 * `topic`), so the call bypasses the bus but not the rules.
 */
export function findLocalHandler(
  endpoints: ReadonlySet<LocalEndpoint>,
  self: LocalEndpoint,
  method: string,
  topic: string,
): RpcHandler<never, unknown> | undefined {
  const own = self.handlers.get(method);
  if (own !== undefined && self.receives(topic)) return own;
  for (const endpoint of endpoints) {
    if (endpoint === self) continue;
    const handler = endpoint.handlers.get(method);
    if (handler !== undefined && typeof endpoint.receives === 'function' && endpoint.receives(topic)) return handler;
  }
  return undefined;
}
