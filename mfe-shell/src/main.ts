// The shell's entry point: one bus per tab, the frame, the inspector, then single-spa.
import { getMountedApps, start } from 'single-spa';
import './shell.css';
import { createInspector } from './inspector/inspector.ts';
import { renderLayout } from './layout.ts';
import { trackMountedApps } from './mounted-apps.ts';
import { mountedHandles, registerApps } from './register-apps.ts';
import { createShellRuntime } from './runtime.ts';
import { showTabBadge } from './tab-badge.ts';
import type {} from './debug-handle.ts';

async function boot(): Promise<void> {
  const runtime = await createShellRuntime();
  const layout = renderLayout(document.getElementById('shell')!);
  const mounted = trackMountedApps(runtime.bus);
  const inspector = createInspector(runtime, layout.inspector, mounted);
  const syncToggle = (open: boolean): void => {
    layout.inspectorToggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('inspecting', open);
  };
  inspector.onToggle(syncToggle);
  syncToggle(inspector.isOpen());
  layout.inspectorToggle.addEventListener('click', () => inspector.toggle());
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
