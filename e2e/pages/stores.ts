// Stores page: one bus per tab linked by cross-tab, with retained messages and stores persisted
// in IndexedDB; e2e/tests/stores.spec.ts drives it through window.__stores. The query string
// names the run (`?run=…`, so tests never share a database or channel) and the app (`?app=…`).
import { createPubSub, isSwitchboardError, type Message } from '@switchboard/bus';
import { attachRetained } from '@switchboard/bus/retained';
import { attachCrossTab } from '@switchboard/cross-tab';
import { attachStores, createStoreRegistry, defineStore } from '@switchboard/store';
import { createIdbStoreStorage } from '@switchboard/store/idb';

const params = new URLSearchParams(location.search);
const run = params.get('run') ?? 'default';
const app = params.get('app') ?? 'ledger';

const bus = createPubSub({ app });
const crossTab = attachCrossTab(bus, { channel: `stores-e2e-${run}` });
const retained = attachRetained(bus);
const storage = createIdbStoreStorage({ dbName: `stores-e2e-${run}`, snapshotEvery: 500 });
const service = attachStores(bus, { storage });
const stores = createStoreRegistry(bus);

const counterDef = defineStore({ name: 'e2e.counter', initial: 0, owner: 'ledger', scope: 'origin', persist: true });
const accountsDef = defineStore({
  name: 'e2e.accounts',
  initial: { alice: 100, bob: 0 } as Record<string, number>,
  owner: 'ledger',
  scope: 'origin',
  persist: true,
});
const ledgerDef = defineStore({
  name: 'e2e.ledger',
  initial: [] as string[],
  owner: 'ledger',
  scope: 'origin',
  persist: true,
});

const counter = stores.get(counterDef);
const accounts = stores.get(accountsDef);
const ledger = stores.get(ledgerDef);
const mounted: Message[] = [];
// What each tab announced it had acknowledged. The announcements travel on the tabs' channel,
// ahead of a closing tab's goodbye: once this tab saw another leave, its last count is final.
const ackedBy = new Map<string, number>();
bus.subscribe<{ tabId: string; acked: number }>('e2e.acked', ({ payload }) => {
  ackedBy.set(payload.tabId, Math.max(payload.acked, ackedBy.get(payload.tabId) ?? 0));
});
let announcing = false;
function announceAcked(): void {
  if (announcing) return;
  announcing = true;
  // Once per burst of acknowledgements, in the task that made them.
  queueMicrotask(() => {
    announcing = false;
    bus.publish('e2e.acked', { tabId: bus.tabId, acked: api.acked });
  });
}

const api = {
  tabId: bus.tabId,
  app,
  acked: 0,
  /** Updates of this tab that were refused: none may be, failover included. */
  rejected: [] as string[],
  ready: () => Promise.all([counter.ready, accounts.ready, ledger.ready]).then(() => true),
  isLeader: () => service.stats().role === 'sequencing',
  value: () => counter.get(),
  version: () => counter.version,
  pending: () => counter.pending + accounts.pending + ledger.pending,
  /** What a test prints when a tab does not settle. */
  describe: () => ({
    tabId: bus.tabId,
    value: counter.get(),
    version: counter.version,
    pending: counter.pending,
    role: service.stats().role,
    stats: service.stats(),
    rejected: api.rejected.slice(0, 3),
  }),
  /** `count` concurrent increments; each acknowledgement is counted and announced to the other tabs. */
  increment(count: number): void {
    for (let i = 0; i < count; i++) {
      counter
        .update((n) => n + 1)
        .then(
          () => {
            api.acked++;
            announceAcked();
          },
          (error: unknown) => void api.rejected.push(String(error)),
        );
    }
  },
  /** The last count of acknowledged updates `tabId` announced. */
  ackedBy: (tabId: string) => ackedBy.get(tabId) ?? 0,
  /** This tab saw `tabId` leave (its goodbye comes after everything it sent). */
  gone: (tabId: string) => !crossTab.tabs().some((tab) => tab.tabId === tabId),
  async persisted(): Promise<number | undefined> {
    return (await storage.load('e2e.counter'))?.value as number | undefined;
  },
  balances: () => ({ accounts: accounts.get(), ledger: ledger.get() }),
  /** Moves `amount` from alice to bob and logs it, both or neither; `fail` throws after staging. */
  async transfer(amount: number, fail: boolean): Promise<string> {
    try {
      await stores.transaction(async (tx) => {
        const current = tx.get(accounts);
        if (current.alice! < amount) tx.abort('Insufficient funds');
        tx.set(accounts, { alice: current.alice! - amount, bob: current.bob! + amount });
        tx.update(ledger, (entries) => [...entries, `alice->bob:${amount}`]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (fail) throw new Error('ledger service unavailable');
      });
      return 'applied';
    } catch (error) {
      return (error as Error).name;
    }
  },
  /** A write from this tab's app; returns the error code when refused. */
  tryWrite(): string {
    try {
      void counter.set(-1);
      return 'written';
    } catch (error) {
      return isSwitchboardError(error) ? error.code : String(error);
    }
  },
  publishRetained: (value: string) => void bus.publish('session.user', { name: value }, { retain: true }),
  /** An MFE mounted now: its retained subscription's messages so far. */
  mount(): void {
    bus.subscribe('session.#', (m) => void mounted.push(m), { retained: true });
  },
  mountedPayloads: () => mounted.map((m) => m.payload),
  retainedReady: () => retained.ready().then(() => true),
};

declare global {
  interface Window {
    __stores: typeof api;
  }
}
window.__stores = api;
