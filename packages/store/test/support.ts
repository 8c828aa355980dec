import { attachCrossTab, type CrossTab } from '@switchboard/cross-tab';
import { createTestTabs, type TestTab } from '@switchboard/testing';
import { attachStores, createStoreRegistry, type AttachStoresOptions, type StoreRegistry } from '../src/index.ts';

/** A test tab with its stores attached and a registry for `app`. */
export interface StoreTab extends TestTab<CrossTab> {
  readonly stores: StoreRegistry;
}

/** Opens linked test tabs whose buses have stores; the first tab opened leads. */
export function storeTabs(storeOptions: AttachStoresOptions = {}) {
  const tabs = createTestTabs({ attachCrossTab });
  return {
    tabs,
    async open(tabId: string, app = 'app', options: AttachStoresOptions = storeOptions): Promise<StoreTab> {
      const tab = tabs.open(tabId, app);
      attachStores(tab.bus, { clock: tabs.clock, electionMs: 500, retryMs: 1000, ...options });
      const stores = createStoreRegistry(tab.bus);
      await tabs.advance(1000);
      return Object.assign(tab, { stores });
    },
    /**
     * Settles messages and timers until `condition` holds (at most `ms` of fake time), letting
     * IndexedDB's work (macrotasks in fake-indexeddb) run between steps.
     */
    async until(condition: () => boolean, ms = 10_000): Promise<void> {
      for (let waited = 0; waited <= ms && !condition(); waited += 50) {
        await tabs.advance(50, 50);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (!condition()) throw new Error(`condition still false after ${ms} ms of fake time`);
    },
  };
}
