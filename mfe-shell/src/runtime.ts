import { createPubSub, type ErrorContext, type PubSubBus } from '@switchboard/bus';
import type { DemoTopics } from '@switchboard/demo-contract';
import { attachSchemas, type AttachedSchemas } from '@switchboard/bus/schemas';
import { demoSchemas } from '@switchboard/demo-contract/schemas';
import { attachCrossTab, type CrossTab } from '@switchboard/cross-tab';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';
import { attachStores, type StoreService } from '@switchboard/store';
import { createIdbStoreStorage, type IdbStoreStorage } from '@switchboard/store/idb';

/**
 * The one full bus of this tab and what is attached to it. The shell keeps it: each MFE gets a
 * handle of its own (see register-apps.ts).
 */
export interface ShellRuntime {
  readonly bus: PubSubBus<DemoTopics>;
  readonly crossTab: CrossTab;
  readonly history: HistoryAdapter<DemoTopics>;
  /** The contract's payload schemas, checked at publish and on everything from elsewhere. */
  readonly schemas: AttachedSchemas;
  /** The tab's stores, which the MFEs' registries share; persisted ones are kept in `storeStorage`. */
  readonly stores: StoreService;
  readonly storeStorage: IdbStoreStorage;
}

/** Every tab of the demo joins this channel and writes to this database. */
const DEMO_CHANNEL = 'switchboard-demo';
const DEMO_DB = 'switchboard-demo';

/**
 * Creates the tab's bus with cross-tab delivery and IndexedDB history. Resolves once history
 * is attached, so the MFEs mount with a history they can rebuild their state from.
 */
export async function createShellRuntime(): Promise<ShellRuntime> {
  const bus = createPubSub<DemoTopics>({ app: 'shell', onError: reportError });
  // First, so that nothing from another tab or from history reaches an app unchecked.
  const schemas = attachSchemas(bus, demoSchemas);
  const crossTab = attachCrossTab(bus, { channel: DEMO_CHANNEL });
  const history = createHistoryAdapter<DemoTopics>({
    dbName: DEMO_DB,
    namespace: 'demo',
    // A week: long enough that yesterday's orders are still listed, short enough to stay small.
    ttlSeconds: 7 * 24 * 60 * 60,
    maxMessages: 5000,
    gcIntervalMs: 60_000,
  });
  await history.attach(bus);
  const storeStorage = createIdbStoreStorage({ dbName: `${DEMO_DB}-stores` });
  const stores = attachStores(bus, { storage: storeStorage });
  return { bus, crossTab, history, schemas, stores, storeStorage };
}

function reportError(error: unknown, context: ErrorContext): void {
  const where =
    context.kind === 'handler'
      ? `handler of '${context.pattern}'`
      : context.kind === 'adapter'
        ? `adapter '${context.adapter}'`
        : 'bus';
  console.error(`[switchboard demo] ${where}${context.message ? ` on '${context.message.topic}'` : ''}:`, error);
}
