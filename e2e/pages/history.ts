// One cross-tab bus per page with an IndexedDB history attached, for e2e/tests/history.spec.ts.
// Query: ?db=<name>&ns=<namespace>&channel=<name>&gcMs=<ms>&ttl=<seconds>&max=<n>
import type { Message } from '@switchboard/bus';
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createHistoryAdapter, type HistoryAdapter, type HistoryError } from '@switchboard/history';

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __history: HistoryAdapter;
    /** What history reported through onError: failure and message. */
    __historyErrors: Array<{ failure: string; code: string; message: string; cause: string | undefined }>;
    /** Messages received by `window.__replay()` subscriptions, in delivery order. */
    __replayed: Message[];
    __replay(pattern: string, options: { since?: number; last?: number }): Promise<void>;
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);
const number = (name: string): number | undefined => (params.has(name) ? Number(params.get(name)) : undefined);

window.__historyErrors = [];
window.__replayed = [];
window.__sb = createCrossTabPubSub({
  app: params.get('app') ?? 'history-e2e',
  channel: params.get('channel') ?? 'history-e2e',
});
window.__history = createHistoryAdapter({
  dbName: params.get('db') ?? 'history-e2e',
  namespace: params.get('ns') ?? 'default',
  gcIntervalMs: number('gcMs') ?? 0,
  ttlSeconds: number('ttl') ?? 3600,
  maxMessages: number('max') ?? 10_000,
  onError: (error: HistoryError) => {
    window.__historyErrors.push({
      failure: error.failure,
      code: error.code,
      message: error.message,
      cause: (error.cause as Error | undefined)?.name,
    });
  },
});
window.__replay = async (pattern, options) => {
  await window.__history.subscribe(pattern, (message) => void window.__replayed.push(message), options);
};
await window.__history.attach(window.__sb);
window.__ready = true;
