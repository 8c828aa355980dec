// Entry of the inventory app in an iframe from its own origin (frame.html), when the shell loads
// it that way: it joins the shell with joinHost and mounts with the handle it gets, the same app
// as in the page. The shell enforces the app's manifest entry on its side of the port.
import type { DemoTopics } from '@switchboard/demo-contract';
import { frameHistory, joinHost } from '@switchboard/frame/join';
import type {} from './frame-debug.ts';
import { mountInventoryApp } from './inventory-app.ts';

const root = document.getElementById('root')!;
const hostOrigin = document.querySelector<HTMLMetaElement>('meta[name="switchboard-host-origin"]')?.content ?? '';

try {
  const bus = await joinHost<DemoTopics>({ hostOrigin, app: 'inventory' });
  window.switchboardFrame = { bus };
  mountInventoryApp(root, { bus, history: frameHistory(bus), stores: false });
} catch (error) {
  console.error('[switchboard demo] mfe-inventory could not join the shell:', error);
  root.textContent = `mfe-inventory could not join the shell: ${error instanceof Error ? error.message : String(error)}`;
}
