import { attachCrossTab, type CrossTab } from '@switchboard/cross-tab';
import {
  type ChannelLike,
  createFakeLocks,
  createTestTabs,
  type MemoryChannelHub,
  type TestTab,
} from '@switchboard/testing';
import {
  attachStores,
  createStoreRegistry,
  type AttachStoresOptions,
  type Store,
  type StoreRegistry,
} from '../src/index.ts';

/** A test tab with its stores attached and a registry for `app`. */
export interface StoreTab extends TestTab<CrossTab> {
  readonly stores: StoreRegistry;
}

/**
 * Opens linked test tabs whose buses have stores; the first tab opened leads. With `locks`, the
 * leader holds a Web Lock (faked), so held-back messages cannot make two tabs lead at once.
 */
export function storeTabs(storeOptions: AttachStoresOptions = {}, election: 'heartbeat' | 'locks' = 'heartbeat') {
  const tabs =
    election === 'locks'
      ? createTestTabs({ attachCrossTab, leaderElection: 'locks', locks: createFakeLocks() })
      : createTestTabs({ attachCrossTab });
  return {
    tabs,
    async open(
      tabId: string,
      app = 'app',
      options: AttachStoresOptions = storeOptions,
      channel?: DelayedChannels,
    ): Promise<StoreTab> {
      const tab = tabs.open(tabId, app, channel === undefined ? {} : { channelFactory: channel.create });
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

/**
 * A tab's channel whose messages from some tabs can be held back, then delivered in order: a
 * real channel is ordered per sender only, so what one tab posted may reach another late.
 */
export interface DelayedChannels {
  /** The tab's channel factory (cross-tab's `channelFactory`). */
  readonly create: (name: string) => ChannelLike;
  /** Holds back what `tabIds` send from now on. */
  hold(...tabIds: string[]): void;
  /** Delivers what was held back from `tabIds` (default: every tab), in order, and stops holding them. */
  release(...tabIds: string[]): void;
}

/** Channels of `hub` for one tab, with messages from chosen tabs held back on demand. */
export function delayedChannels(hub: MemoryChannelHub): DelayedChannels {
  const held = new Set<string>();
  const backlog: Array<{ from: unknown; deliver: () => void }> = [];
  return {
    create(name) {
      const inner = hub.create(name);
      const listeners = new Map<(event: { data: unknown }) => void, (event: { data: unknown }) => void>();
      return {
        name,
        postMessage: (data) => inner.postMessage(data),
        close: () => inner.close(),
        addEventListener(type, listener) {
          // An envelope is an array whose fifth element is the sending tab's id.
          const wrapped = (event: { data: unknown }): void => {
            const from = Array.isArray(event.data) ? event.data[4] : undefined;
            if (held.has(from)) backlog.push({ from, deliver: () => listener(event) });
            else listener(event);
          };
          listeners.set(listener, wrapped);
          inner.addEventListener(type, wrapped);
        },
        removeEventListener(type, listener) {
          const wrapped = listeners.get(listener);
          if (wrapped !== undefined) inner.removeEventListener(type, wrapped);
        },
      };
    },
    hold: (...tabIds) => {
      for (const tabId of tabIds) held.add(tabId);
    },
    release(...tabIds) {
      const released = tabIds.length === 0 ? new Set(held) : new Set(tabIds);
      for (const tabId of released) held.delete(tabId);
      const now = backlog.filter((entry) => released.has(entry.from as string));
      const later = backlog.filter((entry) => !released.has(entry.from as string));
      backlog.splice(0, backlog.length, ...later);
      for (const { deliver } of now) deliver();
    },
  };
}

/**
 * Tabs A (the leader, opened first), B (its incoming messages can be held) and C, each with the
 * store `pick` gets, loaded everywhere: the start of every failover test with a late tab.
 */
export async function leaderAndHeldTab<T>(pick: (tab: StoreTab) => Store<T>) {
  const { tabs, open, until } = storeTabs({}, 'locks');
  const a = await open('tab-a');
  const toB = delayedChannels(tabs.hub);
  const b = await open('tab-b', 'app', undefined, toB);
  const c = await open('tab-c');
  const [inA, inB, inC] = [pick(a), pick(b), pick(c)];
  await until(() => inA.loaded && inB.loaded && inC.loaded);
  return { tabs, open, until, a, b, c, toB, inA, inB, inC };
}
