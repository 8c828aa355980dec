import { forApp, type AppBus } from '@switchboard/bus/apps';
import type { DemoAppProps, DemoTopics } from '@switchboard/demo-contract';
import { demoManifest, type DemoApp } from '@switchboard/demo-contract/manifest';
import { addErrorHandler, registerApplication, type LifeCycles } from 'single-spa';
import { createDashboard } from './dashboard.ts';
import { activeWhen, type AppName } from './routes.ts';
import type { ShellRuntime } from './runtime.ts';

/** The containers the layout made for each application. */
export type AppSlots = Record<AppName, HTMLElement>;

// The MFEs are fetched by these names; the import map served with index.html says from where.
const REMOTE_APPS = ['@switchboard/mfe-orders', '@switchboard/mfe-inventory'] as const;

/** The manifest entry (and `source`) of each application. */
const APP_OF: Record<AppName, DemoApp> = {
  dashboard: 'dashboard',
  '@switchboard/mfe-orders': 'orders',
  '@switchboard/mfe-inventory': 'inventory',
};

/** The handles of the applications mounted in this tab, by app (for the console and the e2e tests). */
export const mountedHandles: Map<DemoApp, AppBus<DemoTopics>> = new Map();

/**
 * Registers the dashboard (part of the shell) and the remote MFEs with single-spa. An MFE
 * that fails to load shows why in its slot instead of leaving the page blank.
 */
export function registerApps(runtime: ShellRuntime, slots: AppSlots): void {
  registerApplication<{ domElement: HTMLElement }>({
    name: 'dashboard',
    app: withHandle(runtime, 'dashboard', async () => createDashboard() as LifeCycles<DemoAppProps>),
    activeWhen: activeWhen('dashboard'),
    customProps: { domElement: slots.dashboard },
  });
  for (const name of REMOTE_APPS) {
    registerApplication<{ domElement: HTMLElement }>({
      name,
      // A variable specifier, so the bundler leaves it to the browser and its import map.
      app: withHandle(runtime, name, () => import(/* @vite-ignore */ name) as Promise<LifeCycles<DemoAppProps>>),
      activeWhen: activeWhen(name),
      customProps: { domElement: slots[name] },
    });
  }

  addErrorHandler((error) => {
    const slot = slots[error.appOrParcelName as AppName];
    console.error(`[switchboard demo] ${error.appOrParcelName}:`, error);
    if (!slot) return;
    slot.replaceChildren();
    const box = document.createElement('div');
    box.className = 'load-error';
    box.textContent = `${error.appOrParcelName} failed (${error.message}). Is its server running? npm start serves every app.`;
    slot.append(box);
  });
}

/**
 * Wraps an application's lifecycles so that each mount gets a new handle (and history reader)
 * for its app, disposed after its unmount.
 */
function withHandle(
  runtime: ShellRuntime,
  name: AppName,
  load: () => Promise<LifeCycles<DemoAppProps>>,
): () => Promise<LifeCycles<{ domElement: HTMLElement }>> {
  const app = APP_OF[name];
  return async () => {
    const lifecycles = await load();
    let handle: AppBus<DemoTopics> | undefined;
    return {
      // No handle before a mount: an app must not keep one across mounts, nor see the full bus.
      bootstrap: (props) => run(lifecycles.bootstrap, props as unknown as DemoAppProps & typeof props),
      async mount(props) {
        handle = forApp<DemoTopics>(runtime.bus, app, { permissions: demoManifest[app] });
        mountedHandles.set(app, handle);
        await run(lifecycles.mount, { ...props, bus: handle, history: runtime.history.forApp(handle) });
      },
      async unmount(props) {
        const mounted = handle!;
        try {
          await run(lifecycles.unmount, {
            ...props,
            bus: mounted,
            history: runtime.history.forApp(mounted),
          });
        } finally {
          mounted.dispose();
          if (mountedHandles.get(app) === mounted) mountedHandles.delete(app);
          handle = undefined;
        }
      },
    };
  };
}

type Lifecycle<P> = LifeCycles<P>['mount'];

/** Runs a lifecycle given as one function or as an array of them (single-spa accepts both). */
async function run<P>(
  lifecycle: Lifecycle<P>,
  props: Parameters<Extract<Lifecycle<P>, (...args: never[]) => unknown>>[0],
): Promise<void> {
  for (const fn of Array.isArray(lifecycle) ? lifecycle : [lifecycle]) await fn(props);
}
