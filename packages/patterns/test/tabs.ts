// Temporary shim until @switchboard/cross-tab lands: links buses of "tabs" over the memory hub.
import { createPubSub, type AdapterLink, type Message, type PubSubBus } from '@switchboard/bus';
import { createFakeClock, createMemoryChannelHub, type FakeClock } from '@switchboard/testing';

export interface Tab {
  bus: PubSubBus;
  close(): void;
}

export interface Tabs {
  clock: FakeClock;
  open(tabId: string, app?: string): Tab;
  settle(): Promise<void>;
  errors: unknown[];
}

export function createTabs(clock: FakeClock = createFakeClock(1_000)): Tabs {
  const hub = createMemoryChannelHub();
  const live = new Map<string, { link: AdapterLink; bus: PubSubBus }>();
  const errors: unknown[] = [];
  const buses: PubSubBus[] = [];
  return {
    clock,
    errors,
    open(tabId, app = 'test') {
      const bus = createPubSub({ app, clock, tabId, onError: (error) => void errors.push(error) });
      buses.push(bus);
      const channel = hub.create('switchboard');
      let link!: AdapterLink;
      const leaderTabId = () => [...live.keys()].sort()[0];
      bus.attach({
        name: 'shim',
        connect(l) {
          link = l;
          l.provide('leadership', { isLeader: () => leaderTabId() === tabId, leaderTabId });
          l.provide('presence', { tabs: () => [...live.keys()].map((id) => ({ tabId: id, leader: id === leaderTabId() })) });
        },
        onPublish(message) {
          if (!channel.closed) channel.postMessage(message);
        },
        flush: () => hub.flush(),
      });
      channel.onmessage = (event) => link.inject(event.data as Message);
      live.set(tabId, { link, bus });
      return {
        bus,
        close() {
          live.delete(tabId);
          channel.close();
          bus.dispose();
          for (const other of live.values()) {
            other.link.inject({ id: `left-${tabId}`, topic: '$sys.tab.left', payload: { tabId, reason: 'closed' }, ts: clock.now(), source: 'shim', meta: {}, origin: { tabId: 'shim' }, depth: 0 });
          }
        },
      };
    },
    async settle() {
      // Not bus.flush(): it would wait for handlers that are meant to hang in some tests.
      for (let i = 0; i < 50; i++) {
        await hub.flush();
        await Promise.resolve();
      }
    },
  };
}
