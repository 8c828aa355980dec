/**
 * React Fast Refresh, as a bundler's plugin drives it, for the hot-swap tests: the runtime hooks
 * into React before react-dom loads (import this module first), components are registered under
 * a family id, and registering a new implementation then `performReactRefresh()` swaps it in the
 * mounted tree, keeping state and re-running effects.
 */
// @ts-expect-error: react-refresh ships no types; the three functions used are declared below.
import * as runtime from 'react-refresh/runtime';

interface RefreshRuntime {
  injectIntoGlobalHook(globalObject: object): void;
  register(type: unknown, id: string): void;
  performReactRefresh(): unknown;
}

const refresh = ((runtime as { default?: RefreshRuntime }).default ?? runtime) as RefreshRuntime;
refresh.injectIntoGlobalHook(globalThis);

/** Registers `component` as the current implementation of the family `id`. */
export function register(component: unknown, id: string): void {
  refresh.register(component, id);
}

/** Swaps every registered new implementation into the mounted trees (call inside act). */
export function performRefresh(): void {
  refresh.performReactRefresh();
}
