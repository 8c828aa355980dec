// One cross-tab bus per page. Query: ?channel=<name>&app=<name>&election=auto|locks|heartbeat
// &heartbeatMs=<ms>&tabTimeoutMs=<ms>. Exposed for page.evaluate() in e2e/tests/cross-tab.spec.ts.
import { createCrossTabPubSub, type CrossTabPubSub, type LeaderElectionMode } from '@switchboard/cross-tab';
import { createInbox, type Inbox } from './cross-tab-inbox.ts';

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __inbox: Inbox;
    __ready: boolean;
    /** Times this document came back from the back/forward cache (a reload starts again at 0). */
    __restores: number;
  }
}

const params = new URLSearchParams(location.search);
const number = (name: string): { [key: string]: number } => {
  const value = params.get(name);
  return value === null ? {} : { [name]: Number(value) };
};

window.__sb = createCrossTabPubSub({
  app: params.get('app') ?? 'e2e',
  channel: params.get('channel') ?? 'e2e',
  leaderElection: (params.get('election') ?? 'auto') as LeaderElectionMode,
  ...number('heartbeatMs'),
  ...number('tabTimeoutMs'),
});
window.__inbox = createInbox(window.__sb);
window.__restores = 0;
addEventListener('pageshow', (event) => {
  if (event.persisted) window.__restores++;
});
window.__ready = true;
