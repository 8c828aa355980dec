import type { SystemAccess, SystemAccessOptions } from './system-access.ts';

// Shared by every bundled copy of Switchboard in the page: a helper bundled with one copy finds
// the access of a handle that the shell's copy created. Versioned: a copy that reads another
// shape leaves it alone and says so.
const REGISTRY_KEY = Symbol.for('switchboard.registry');
const REGISTRY_VERSION = 1;

/** What `forApp` registers for each handle: how helpers get their access to `$sys.`. */
export interface HandleRegistration {
  access(namespace: string, options: SystemAccessOptions): SystemAccess;
}

interface Registry {
  readonly version: number;
  readonly handles: WeakMap<object, HandleRegistration>;
}

/**
 * The handles of this page, created on first use; undefined when a copy of the library with an
 * incompatible registry got there first.
 */
export function handleRegistry(): WeakMap<object, HandleRegistration> | undefined {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  const existing = holder[REGISTRY_KEY];
  if (existing !== undefined) return existing.version === REGISTRY_VERSION ? existing.handles : undefined;
  const registry: Registry = { version: REGISTRY_VERSION, handles: new WeakMap() };
  Object.defineProperty(holder, REGISTRY_KEY, { value: registry, configurable: true });
  return registry.handles;
}
