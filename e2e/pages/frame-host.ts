// A host page (the shell) with one iframe MFE, for e2e/tests/frame.spec.ts. Query:
// ?channel=<cross-tab channel>&frame=<URL of the framed page>&origin=<pinned origin> (repeated)
// &heartbeatMs=<ms>. The frame is app 'orders' with the manifest below; history is attached.
import { defineManifest } from '@switchboard/bus/apps';
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createFrameHost, type FrameConnection, type FrameHost } from '@switchboard/frame';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';
import { createInbox, type Inbox } from './cross-tab-inbox.ts';

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __inbox: Inbox;
    __history: HistoryAdapter;
    __frames: FrameHost;
    __connection: FrameConnection;
    /** What the host's bus reported through onError, as `name code: message`. */
    __errors: string[];
    __removeFrame(): void;
    /** The host bus's subscriptions before it connected the frame. */
    __subscriptionsBefore: number;
    __ready: boolean;
  }
}

const manifest = defineManifest({
  orders: { publish: ['e2e.orders.#'], subscribe: ['e2e.#'] },
});

const params = new URLSearchParams(location.search);
const channel = params.get('channel') ?? 'frame-e2e';
window.__errors = [];
window.__sb = createCrossTabPubSub({
  app: 'shell',
  channel,
  onError: (error) => {
    const { name, code, message } = error as Error & { code?: string };
    window.__errors.push(`${name} ${code}: ${message}`);
  },
});
window.__inbox = createInbox(window.__sb);
window.__history = createHistoryAdapter({ dbName: `frame-e2e-${channel}`, gcIntervalMs: 0 });
await window.__history.attach(window.__sb);
window.__subscriptionsBefore = window.__sb.stats().subscriptions;
window.__frames = createFrameHost(window.__sb, { heartbeatMs: Number(params.get('heartbeatMs') ?? 1000) });
const iframe = document.createElement('iframe');
iframe.src = params.get('frame')!;
document.body.append(iframe);
window.__connection = window.__frames.connectFrame(iframe, {
  origin: params.getAll('origin'),
  app: 'orders',
  permissions: manifest.orders,
});
window.__removeFrame = () => iframe.remove();
window.__ready = true;
