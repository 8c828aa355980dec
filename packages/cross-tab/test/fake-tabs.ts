// Several "tabs" in one process: buses linked by an in-memory channel hub, on one fake clock.
import { createPubSub, type Message, type PubSubBus } from '@switchboard/bus';
import { createFakeClock, createMemoryChannelHub, type FakeClock, type MemoryChannelHub } from '@switchboard/testing';
import { attachCrossTab, type ChannelLike, type CrossTab, type CrossTabOptions } from '../src/index.ts';

export interface FakeTab {
  readonly bus: PubSubBus;
  readonly crossTab: CrossTab;
  readonly errors: unknown[];
  /** Messages delivered to `#` and `$sys.#` subscribers, in delivery order. */
  readonly seen: Message[];
  topics(prefix?: string): string[];
  /** Cuts the tab off the channel without a goodbye, as a crash does (its timers keep running). */
  crash(): void;
}

export interface FakeTabs {
  readonly hub: MemoryChannelHub;
  readonly clock: FakeClock;
  open(tabId: string, app?: string, options?: CrossTabOptions): FakeTab;
  /** Settles every bus and the channel until nothing moves. */
  settle(): Promise<void>;
  /** Advances the fake clock by `ms` in heartbeat-sized steps, settling after each. */
  advance(ms: number, step?: number): Promise<void>;
}

export function createFakeTabs(defaults: CrossTabOptions = {}): FakeTabs {
  const hub = createMemoryChannelHub();
  const clock = createFakeClock(1_000_000);
  const tabs: FakeTab[] = [];
  const channel = `test-${Math.random().toString(36).slice(2)}`;

  async function settle(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const posted = hub.posted;
      await Promise.all(tabs.map((tab) => (tab.bus.disposed ? undefined : tab.bus.flush())));
      await hub.flush();
      if (hub.posted === posted) return;
    }
  }

  return {
    hub,
    clock,
    open(tabId, app = 'app', options = {}) {
      const errors: unknown[] = [];
      const seen: Message[] = [];
      const bus = createPubSub({ app, tabId, clock, onError: (error) => void errors.push(error) });
      bus.subscribe('#', (message) => void seen.push(message));
      bus.subscribe('$sys.#', (message) => void seen.push(message));
      let dead = false;
      const crossTab = attachCrossTab(bus, {
        channel,
        channelFactory: (name) => crashable(hub.create(name), () => dead),
        clock,
        leaderElection: 'heartbeat',
        ...defaults,
        ...options,
      });
      const tab: FakeTab = {
        bus,
        crossTab,
        errors,
        seen,
        topics: (prefix = '') => seen.filter((m) => m.topic.startsWith(prefix)).map((m) => m.topic),
        crash: () => void (dead = true),
      };
      tabs.push(tab);
      return tab;
    },
    settle,
    async advance(ms, step = 250) {
      for (let done = 0; done < ms; done += step) {
        clock.advance(Math.min(step, ms - done));
        await settle();
      }
    },
  };
}

function crashable(channel: ChannelLike, dead: () => boolean): ChannelLike {
  const guarded = new Map<(event: { data: unknown }) => void, (event: { data: unknown }) => void>();
  return {
    name: channel.name,
    postMessage: (data) => void (dead() || channel.postMessage(data)),
    addEventListener(type, listener) {
      const guard = (event: { data: unknown }): void => void (dead() || listener(event));
      guarded.set(listener, guard);
      channel.addEventListener(type, guard);
    },
    removeEventListener: (type, listener) => channel.removeEventListener(type, guarded.get(listener) ?? listener),
    close: () => channel.close(),
  };
}
