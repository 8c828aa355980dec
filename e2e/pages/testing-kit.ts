// Page for e2e/tests/testing-kit*.spec.ts: an app as the kit sees it, configured by the query:
//   ?apps=a,b        one bus per app (several MFEs in one tab), default 'kit'
//   &crossTab=<name> attach cross-tab on that channel to every bus
//   &tabTimeoutMs=n  cross-tab's silence timeout
// Each bus echoes `kit.ping` as `kit.pong` after an async pause, to give flush() work to wait for.
import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';

declare global {
  interface Window {
    __kit: { buses: PubSubBus[] };
  }
}

const query = new URLSearchParams(location.search);
const apps = (query.get('apps') ?? 'kit').split(',');
const channel = query.get('crossTab');
const tabTimeoutMs = query.get('tabTimeoutMs');

const buses = apps.map((app) => {
  const bus = createPubSub({ app });
  if (channel !== null) {
    attachCrossTab(bus, { channel, ...(tabTimeoutMs === null ? {} : { tabTimeoutMs: Number(tabTimeoutMs) }) });
  }
  bus.subscribe<{ delayMs: number }>('kit.ping', async (message) => {
    if (message.origin.tabId !== bus.tabId || message.source !== app) return;
    await new Promise((resolve) => setTimeout(resolve, message.payload.delayMs));
    bus.publish('kit.pong', { to: message.id });
  });
  return bus;
});

window.__kit = { buses };
