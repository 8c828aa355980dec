/**
 * Traps on the browser globals that server rendering must never read: each becomes a getter that
 * records the read. Shared by the React and Vue server-rendering suites (they run in Node).
 */
const BROWSER_GLOBALS = [
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'BroadcastChannel',
  'indexedDB',
  'requestAnimationFrame',
] as const;

/** The traps; `reads` lists every global read since they were set, `restore()` removes them. */
export interface GlobalTraps {
  readonly reads: string[];
  restore(): void;
}

/** Sets the traps on `globalThis`. */
export function trapBrowserGlobals(): GlobalTraps {
  const reads: string[] = [];
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const name of BROWSER_GLOBALS) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.push(name);
        return undefined;
      },
    });
  }
  return {
    reads,
    restore() {
      for (const [name, descriptor] of saved) {
        if (descriptor === undefined) delete (globalThis as Record<string, unknown>)[name];
        else Object.defineProperty(globalThis, name, descriptor);
      }
    },
  };
}
