// One cross-tab bus per page with an RPC endpoint, and a "page script" that reads the channel and
// posts forged envelopes built from what it read. Query: ?channel=<name>&heartbeatMs=<ms>.
// Exposed for e2e/tests/cross-tab-forgery.spec.ts.
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createRpc } from '@switchboard/patterns';
import { createInbox, type Inbox } from './cross-tab-inbox.ts';

/** The forging script's view of the channel: the last envelope each tab posted, as raw arrays. */
interface Forger {
  last(tabId: string): unknown[] | undefined;
  post(data: unknown): void;
}

/** What the slow RPC call of this page came to. */
type CallOutcome = { state: 'pending' } | { state: 'resolved'; value: unknown } | { state: 'rejected'; code: unknown };

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __inbox: Inbox;
    __forger: Forger;
    __rpc: {
      /** Handles `slow` until `release()` is called. */
      handleSlow(): void;
      /** A `slow` call is being handled here. */
      handling(): boolean;
      release(value: string): void;
      /** Calls `slow` in another tab; `outcome()` says how it went. */
      call(): void;
      outcome(): CallOutcome;
    };
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);
const channel = params.get('channel') ?? 'forgery';
const heartbeatMs = Number(params.get('heartbeatMs') ?? 1000);
// The script's channel opens before the bus posts its hello, so it hears the answers to it too.
const raw = new BroadcastChannel(channel);
const lastByTab = new Map<string, unknown[]>();
raw.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (Array.isArray(event.data) && typeof event.data[4] === 'string') lastByTab.set(event.data[4], event.data);
});
window.__forger = { last: (tabId) => lastByTab.get(tabId), post: (data) => raw.postMessage(data) };

window.__sb = createCrossTabPubSub({ app: 'forgery', channel, heartbeatMs, tabTimeoutMs: heartbeatMs * 5 });
window.__inbox = createInbox(window.__sb);

const rpc = createRpc(window.__sb);
let release: ((value: string) => void) | undefined;
let outcome: CallOutcome = { state: 'pending' };
window.__rpc = {
  handleSlow() {
    rpc.handle(
      'slow',
      () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
    );
  },
  handling: () => release !== undefined,
  release: (value) => release?.(value),
  call() {
    rpc.request<string>('slow', null, { timeout: 60_000 }).then(
      (value) => {
        outcome = { state: 'resolved', value };
      },
      (error: { code?: unknown }) => {
        outcome = { state: 'rejected', code: error?.code };
      },
    );
  },
  outcome: () => outcome,
};
window.__ready = true;
