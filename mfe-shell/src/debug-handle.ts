import type { AppBus } from '@switchboard/bus/apps';
import type { DemoTopics } from '@switchboard/demo-contract';
import type { DemoApp } from '@switchboard/demo-contract/manifest';
import type { ShellRuntime } from './runtime.ts';

/**
 * What the shell puts on `window.switchboard`: the tab's runtime, for the browser console and
 * for the e2e tests (which check, for instance, that unmounting leaves no subscription behind).
 */
interface DebugHandle extends ShellRuntime {
  /** single-spa applications mounted in this tab. */
  mountedApps(): string[];
  /** The handle of each app mounted in this tab, as the app itself holds it. */
  handles: ReadonlyMap<DemoApp, AppBus<DemoTopics>>;
}

declare global {
  interface Window {
    switchboard?: DebugHandle;
  }
}
