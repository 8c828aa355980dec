// A small app built the way a team would build one: the packages installed from their tarballs,
// bundled by Vite, one bus per tab with cross-tab delivery and RPC, and a React and a Vue view of
// what arrives.
import { getTabId } from '@switchboard/bus';
import { createCrossTabPubSub } from '@switchboard/cross-tab';
import { createRpc } from '@switchboard/patterns';
import { mountReactView } from './react-view.js';
import { mountVueView } from './vue-view.js';

/** The app's topics. */
export type AppTopics = {
  'greetings.sent': { text: string };
};

/** What the test drives through `window.consumer`. */
export interface ConsumerApp {
  tabId: string;
  received: Array<{ text: string; fromTab: string }>;
  greet(text: string): void;
  whoAmI(): Promise<string>;
}

declare global {
  interface Window {
    consumer: ConsumerApp;
  }
}

const bus = createCrossTabPubSub<AppTopics>({ app: 'consumer', channel: 'consumer-app' });
const rpc = createRpc(bus);
const received: ConsumerApp['received'] = [];

bus.subscribe('greetings.sent', (message) => {
  received.push({ text: message.payload.text, fromTab: message.origin.tabId });
});
const tabId = getTabId();
// Only the first tab answers: the second one has no handler, so its request must cross.
if (new URLSearchParams(location.search).has('answer')) rpc.handle('tab.id', () => tabId);

window.consumer = {
  tabId,
  received,
  greet: (text) => void bus.publish('greetings.sent', { text }),
  whoAmI: () => rpc.request<string>('tab.id', undefined, { timeout: 5000 }),
};
mountReactView(document.getElementById('react')!, bus);
mountVueView(document.getElementById('vue')!, bus);
document.getElementById('status')!.textContent = 'ready';
