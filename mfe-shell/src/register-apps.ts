import type { DemoAppProps } from '@switchboard/demo-contract';
import { addErrorHandler, registerApplication, type LifeCycles } from 'single-spa';
import { createDashboard } from './dashboard.ts';
import { activeWhen, type AppName } from './routes.ts';
import type { ShellRuntime } from './runtime.ts';

/** The containers the layout made for each application. */
export type AppSlots = Record<AppName, HTMLElement>;

// The MFEs are fetched by these names; the import map served with index.html says from where.
const REMOTE_APPS = ['@switchboard/mfe-orders', '@switchboard/mfe-inventory'] as const;

/**
 * Registers the dashboard (part of the shell) and the remote MFEs with single-spa. An MFE
 * that fails to load shows why in its slot instead of leaving the page blank.
 */
export function registerApps(runtime: ShellRuntime, slots: AppSlots): void {
  const props = (name: AppName): DemoAppProps => ({
    bus: runtime.bus,
    history: runtime.history,
    domElement: slots[name],
  });

  registerApplication<DemoAppProps>({
    name: 'dashboard',
    app: async () => createDashboard() as LifeCycles<DemoAppProps>,
    activeWhen: activeWhen('dashboard'),
    customProps: props('dashboard'),
  });
  for (const name of REMOTE_APPS) {
    registerApplication<DemoAppProps>({
      name,
      // A variable specifier, so the bundler leaves it to the browser and its import map.
      app: () => import(/* @vite-ignore */ name) as Promise<LifeCycles<DemoAppProps>>,
      activeWhen: activeWhen(name),
      customProps: props(name),
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
