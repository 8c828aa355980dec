// Patterns page: one bus per tab linked by cross-tab, with an rpc, a circuit breaker and a
// durable checkout saga; e2e/tests/patterns.spec.ts drives it through window.__patterns.
import { createPubSub, isSwitchboardError } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createCircuitBreaker, createRpc, createSaga, type SagaResult } from '@switchboard/patterns';
import { createIdbSagaLog } from '@switchboard/patterns/durable';

const bus = createPubSub({ app: 'patterns' });
attachCrossTab(bus, { channel: 'patterns-e2e' });
const rpc = createRpc(bus, { discoveryMs: 500 });
const breaker = createCircuitBreaker(bus, { name: 'inventory', threshold: 2, resetTimeoutMs: 60_000 });

// Effects of the saga's steps go to localStorage, which every tab (and the test) can read.
function bump(key: string): void {
  localStorage.setItem(key, String(Number(localStorage.getItem(key) ?? '0') + 1));
}
const log = createIdbSagaLog({ dbName: 'patterns-e2e-sagas' });
const saga = createSaga<{ order: string }>(bus, {
  name: 'e2e-checkout',
  durable: log,
  leaseMs: 1000,
  steps: [
    {
      name: 'reserve',
      action: ({ input }) => {
        bump(`reserve:${input.order}`);
        return `res-${input.order}`;
      },
      compensation: ({ input }) => bump(`release:${input.order}`),
    },
    // Never finishes: the tab is closed while it runs.
    {
      name: 'pay',
      action: ({ input }) => {
        bump(`pay:${input.order}`);
        return new Promise(() => {});
      },
      compensation: ({ input }) => bump(`refund:${input.order}`),
    },
  ],
});

const patterns = {
  tabId: bus.tabId,
  handled: 0,
  handle(method: string) {
    rpc.handle(method, () => {
      patterns.handled++;
      return bus.tabId;
    });
  },
  request: (method: string) => rpc.request<string>(method, null, { timeout: 5000 }),
  targets: (method: string) => rpc.targets(method),
  async failInventory(): Promise<string> {
    return breaker
      .execute(() => Promise.reject(new Error('inventory down')))
      .then(
        () => 'ok',
        (e: unknown) => (e as Error).message,
      );
  },
  inventoryCalls: 0,
  async callInventory(): Promise<string> {
    return breaker
      .execute(async () => {
        patterns.inventoryCalls++;
        return 'live';
      })
      .catch((e: unknown) => (isSwitchboardError(e, 'CIRCUIT_OPEN') ? 'CIRCUIT_OPEN' : (e as Error).message));
  },
  breakerState: () => breaker.state(),
  startSaga(order: string) {
    void saga.execute({ order });
  },
  /** Ids of sagas still in the durable log (unfinished). */
  unfinishedSagas: async () => (await log.unfinished('e2e-checkout')).map((record) => record.id),
  recovered: [] as SagaResult[],
};
void saga.recovery.then((results) => void patterns.recovered.push(...results));

declare global {
  interface Window {
    __patterns: typeof patterns;
    __patternsReady: boolean;
  }
}
window.__patterns = patterns;
window.__patternsReady = true;
