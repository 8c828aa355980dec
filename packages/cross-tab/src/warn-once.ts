// Shared by every bundled copy in this tab, so each warning is printed once per page, not per copy.
const WARNINGS_KEY = Symbol.for('switchboard.warnings');
const WARNINGS_VERSION = 1;

interface WarningRegistry {
  readonly version: number;
  readonly seen: Set<string>;
}

/**
 * Prints a development warning prefixed `[switchboard]`, once per `key` per page.
 */
export function warnOnce(key: string, message: string): void {
  const registry = globalThis as unknown as Record<symbol, WarningRegistry | undefined>;
  let warnings = registry[WARNINGS_KEY];
  if (warnings === undefined || warnings.version !== WARNINGS_VERSION) {
    warnings = { version: WARNINGS_VERSION, seen: new Set() };
    Object.defineProperty(registry, WARNINGS_KEY, { value: warnings, configurable: true });
  }
  if (warnings.seen.has(key)) return;
  warnings.seen.add(key);
  console.warn(`[switchboard] ${message}`);
}
