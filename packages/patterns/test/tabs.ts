// Several "tabs" in one process: buses linked by @switchboard/cross-tab over the in-memory
// channel hub, on one fake clock.
import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { attachCrossTab, type CrossTab } from '@switchboard/cross-tab';
import { createFakeClock, createMemoryChannelHub, type FakeClock } from '@switchboard/testing';

export interface Tab {
  bus: PubSubBus;
  crossTab: CrossTab;
  /** Closes the tab: cross-tab says goodbye, the bus is disposed. */
  close(): void;
  /** Cuts the tab off without a goodbye, as a crash does; others notice by heartbeat timeout. */
  crash(): void;
}

export interface Tabs {
  clock: FakeClock;
  open(tabId: string, app?: string): Tab;
  /** Delivers everything posted (and posted in reply) without waiting for handlers that hang. */
  settle(): Promise<void>;
  errors: unknown[];
}

export function createTabs(clock: FakeClock = createFakeClock(1_000_000)): Tabs {
  const hub = createMemoryChannelHub();
  const errors: unknown[] = [];
  const open: Tab[] = [];
  return {
    clock,
    errors,
    open(tabId, app = 'test') {
      const bus = createPubSub({ app, clock, tabId, onError: (error) => void errors.push(error) });
      let dead = false;
      const channelFactory = (name: string) => {
        const channel = hub.create(name);
        const listeners = new Map<unknown, (event: { data: unknown }) => void>();
        return {
          name,
          postMessage: (data: unknown) => void (dead || channel.postMessage(data)),
          addEventListener(type: 'message', listener: (event: { data: unknown }) => void) {
            const guarded = (event: { data: unknown }) => void (dead || listener(event));
            listeners.set(listener, guarded);
            channel.addEventListener(type, guarded);
          },
          removeEventListener(type: 'message', listener: (event: { data: unknown }) => void) {
            const guarded = listeners.get(listener);
            if (guarded) channel.removeEventListener(type, guarded);
          },
          close: () => channel.close(),
        };
      };
      const crossTab = attachCrossTab(bus, { channel: 'patterns-test', channelFactory, clock, leaderElection: 'heartbeat' });
      const tab: Tab = {
        bus,
        crossTab,
        close() {
          crossTab.detach();
          bus.dispose();
        },
        crash() {
          dead = true;
        },
      };
      open.push(tab);
      return tab;
    },
    async settle() {
      // Not bus.flush(): it would wait for handlers that some tests keep hanging on purpose.
      for (let round = 0; round < 50; round++) {
        await Promise.all(open.filter((tab) => !tab.bus.disposed).map((tab) => tab.crossTab.flush()));
        await hub.flush();
        await Promise.resolve();
      }
    },
  };
}
