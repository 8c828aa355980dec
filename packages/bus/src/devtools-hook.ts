import type { PubSubBus } from './pub-sub-bus.ts';
import type { Message } from './message.ts';

// Test tools and devtools install this on globalThis before the app loads (Playwright's
// `page.addInitScript`); every bus created afterwards, by any bundled copy, reports to it.
const HOOK_KEY = Symbol.for('switchboard.devtools');
const HOOK_VERSION = 1;

/** Receives every message a bus delivers; `remote` is true for messages injected from elsewhere. */
export type DevtoolsTap = (message: Message, remote: boolean) => void;

/**
 * The opt-in hook through which test kits and devtools observe buses. Off by default: a bus only
 * looks for it once, when it is created.
 *
 * @example
 * import { installDevtoolsHook } from '@switchboard/bus';
 * installDevtoolsHook({ connect: (bus) => (message) => console.log(bus.app, message.topic) });
 */
export interface DevtoolsHook {
  /** Called once per bus; returns the tap for its messages, or undefined to ignore that bus. */
  connect(bus: PubSubBus): DevtoolsTap | undefined;
}

interface VersionedHook extends DevtoolsHook {
  readonly version: number;
}

/** Installs the hook for buses created from now on; returns a function that removes it. */
export function installDevtoolsHook(hook: DevtoolsHook): () => void {
  const registry = globalThis as unknown as Record<symbol, VersionedHook | undefined>;
  const versioned: VersionedHook = { version: HOOK_VERSION, connect: (bus) => hook.connect(bus) };
  Object.defineProperty(registry, HOOK_KEY, { value: versioned, configurable: true, writable: true });
  return () => {
    if (registry[HOOK_KEY] === versioned) delete registry[HOOK_KEY];
  };
}

/** Called by each new bus: its tap when a hook is installed, else undefined. */
export function connectDevtools(bus: PubSubBus): DevtoolsTap | undefined {
  const hook = (globalThis as unknown as Record<symbol, VersionedHook | undefined>)[HOOK_KEY];
  if (hook === undefined || hook.version !== HOOK_VERSION) return undefined;
  return hook.connect(bus);
}
