// Shared by every bundled copy of Switchboard in the page, so a warning shows once per page
// however many copies meet the same problem. Versioned in case its shape ever changes.
const REGISTRY_KEY = Symbol.for('switchboard.warnings');
const REGISTRY_VERSION = 1;

interface WarningRegistry {
  readonly version: number;
  readonly seen: Set<string>;
}

/**
 * Prints a `[switchboard]` development warning unless one with the same `key` was printed before
 * in this page (by any package or bundled copy). Returns true when it printed.
 *
 * @example
 * import { warnOnce } from '@switchboard/bus';
 * warnOnce('no-broadcast-channel', 'BroadcastChannel is missing; messages stay in this tab.');
 */
export function warnOnce(key: string, text: string): boolean {
  const holder = globalThis as unknown as Record<symbol, WarningRegistry | undefined>;
  let registry = holder[REGISTRY_KEY];
  if (registry === undefined || registry.version !== REGISTRY_VERSION) {
    registry = { version: REGISTRY_VERSION, seen: new Set() };
    holder[REGISTRY_KEY] = registry;
  }
  if (registry.seen.has(key)) return false;
  registry.seen.add(key);
  console.warn(`[switchboard] ${text}`);
  return true;
}
