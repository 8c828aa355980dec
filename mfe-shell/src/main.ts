// The shell's entry point: one bus per tab, the frame, the inspector, then single-spa.
import { createInspectorLauncher } from '@switchboard/inspector/launcher';
import { getMountedApps, start } from 'single-spa';
import './shell.css';
import { renderLayout } from './layout.ts';
import { trackMountedApps } from './mounted-apps.ts';
import { mountedHandles, registerApps } from './register-apps.ts';
import { createShellRuntime } from './runtime.ts';
import { showTabBadge } from './tab-badge.ts';
import type {} from './debug-handle.ts';

async function boot(): Promise<void> {
  const runtime = await createShellRuntime();
  const layout = renderLayout(document.getElementById('shell')!);
  // Before the apps mount and before the shells announce their apps: the panel, loaded on first
  // open, shows what happened from here on.
  const inspector = createInspectorLauncher({
    bus: runtime.bus,
    element: layout.inspector,
    load: () => import('@switchboard/inspector'),
    mount: {
      history: runtime.history,
      tabs: runtime.crossTab,
      storeTimelines: runtime.storeStorage,
      appLabel: (name) => name.replace('@switchboard/mfe-', ''),
    },
    // Per tab, so a reload keeps the panel open but a new tab starts without it.
    rememberOpen: 'switchboard-demo.inspector-open',
  });
  trackMountedApps(runtime.bus);
  const syncToggle = (open: boolean): void => {
    layout.inspectorToggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('inspecting', open);
  };
  inspector.onToggle(syncToggle);
  syncToggle(inspector.isOpen());
  layout.inspectorToggle.addEventListener('click', () => void inspector.toggle());
  showTabBadge(layout.tabBadge, runtime.bus, runtime.crossTab);

  window.switchboard = { ...runtime, mountedApps: getMountedApps, handles: mountedHandles };
  registerApps(runtime, layout.slots);
  start({ urlRerouteOnly: true });
}

boot().catch((error: unknown) => {
  console.error('[switchboard demo] the shell could not start:', error);
  const message = document.createElement('pre');
  message.className = 'boot-error';
  message.textContent = `The shell could not start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(message);
});
