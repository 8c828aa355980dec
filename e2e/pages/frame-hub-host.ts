// A page that joins its origin's tabs (cross-tab) to the site's other origins (the hub). Query:
// ?app=<name>&channel=<cross-tab channel>&hub=<hub page URL>.
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createFrameHost, type HubConnection } from '@switchboard/frame';
import { createInbox, type Inbox } from './cross-tab-inbox.ts';

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __inbox: Inbox;
    __hubLink: HubConnection;
    __errors: string[];
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);
window.__errors = [];
window.__sb = createCrossTabPubSub({
  app: params.get('app') ?? 'e2e',
  channel: params.get('channel') ?? 'e2e',
  onError: (error) => window.__errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
});
window.__inbox = createInbox(window.__sb);
window.__hubLink = createFrameHost(window.__sb).connectHub({ url: params.get('hub')!, timeoutMs: 5000 });
window.__ready = true;
