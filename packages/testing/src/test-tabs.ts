/**
 * Several "tabs" in one process for unit tests: buses with their own tab ids, linked by
 * `@switchboard/cross-tab` over an in-memory channel hub, all on one fake clock. What one tab
 * publishes reaches the others as it would between real tabs (cloned, asynchronously, with
 * presence and leader election), and `advance()` moves heartbeats and timeouts on command.
 */
import { createPubSub, type Message, type PubSubBus } from '@switchboard/bus';
import {
  attachCrossTab,
  type ChannelLike,
  type CrossTab,
  type CrossTabOptions,
  type LockManagerLike,
} from '@switchboard/cross-tab';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import type { createFakeLocks, FakeLocks } from './fake-locks.ts';
import { createMemoryChannelHub, type MemoryChannelHub } from './memory-channel.ts';

/** One simulated tab. */
export interface TestTab {
  readonly bus: PubSubBus;
  readonly crossTab: CrossTab;
  /** Errors its bus reported (handler failures, loops…), in order. */
  readonly errors: unknown[];
  /** Every message its `#` and `$sys.#` subscribers saw, in delivery order. */
  readonly seen: Message[];
  /** Topics of `seen` that start with `prefix`. */
  topics(prefix?: string): string[];
  /** Closes the tab as a user would: cross-tab says goodbye, the bus is disposed. */
  close(): void;
  /**
   * Cuts the tab off the channel without a goodbye, as a crash does (its timers keep running),
   * and releases its Web Locks when they are {@link createFakeLocks}. Every bus opened with this
   * tab id crashes with it: they are one page.
   */
  crash(): void;
}

/** Options of {@link createTestTabs}: cross-tab options every tab gets, and the shared clock. */
export interface TestTabsOptions extends Omit<CrossTabOptions, 'clock' | 'locks'> {
  /** @default createFakeClock(1_000_000) */
  clock?: FakeClock;
  /**
   * Web Locks for `leaderElection: 'locks'`: {@link createFakeLocks} gives each tab its own
   * manager (`locks.forTab(tabId)`) and releases a crashed tab's locks.
   */
  locks?: FakeLocks | LockManagerLike;
}

/** A set of linked test tabs. */
export interface TestTabs {
  readonly hub: MemoryChannelHub;
  readonly clock: FakeClock;
  /** Errors reported by every tab's bus. */
  readonly errors: unknown[];
  /**
   * Opens a tab; `options` override the set's cross-tab options for this tab. Opening a tab id
   * again adds another bus to that page, as a second bundled copy of the library would: the buses
   * of one page share its channel.
   */
  open(tabId: string, app?: string, options?: CrossTabOptions): TestTab;
  /**
   * Delivers everything posted, and what is posted in reply, over a bounded number of rounds.
   * It does not wait for handlers to settle (tests may keep a handler hanging on purpose): use
   * `tab.bus.flush()` for that.
   */
  settle(): Promise<void>;
  /** Advances the clock by `ms` in steps (heartbeat-sized by default), settling after each. */
  advance(ms: number, step?: number): Promise<void>;
}

const SETTLE_ROUNDS = 50;

/**
 * Creates a set of linked test tabs. Leader election uses heartbeats unless the options say
 * otherwise, so it runs on the fake clock.
 *
 * @example
 * import { createTestTabs } from '@switchboard/testing';
 * const tabs = createTestTabs();
 * const a = tabs.open('tab-a', 'orders');
 * const b = tabs.open('tab-b', 'inventory');
 * a.bus.publish('orders.placed', { id: 1 });
 * await tabs.settle();
 * b.topics('orders.'); // ['orders.placed']
 */
export function createTestTabs(options: TestTabsOptions = {}): TestTabs {
  const { clock = createFakeClock(1_000_000), locks, ...crossTabDefaults } = options;
  const lockManagerOf = (tabId: string): { locks?: LockManagerLike } =>
    locks === undefined ? {} : { locks: 'forTab' in locks ? locks.forTab(tabId) : locks };
  const hub = createMemoryChannelHub();
  const errors: unknown[] = [];
  const tabs: TestTab[] = [];
  // One channel factory per page: the buses of a page share one channel, and crash together.
  const pages = new Map<string, { crashed: boolean; channelFactory: (name: string) => ChannelLike }>();
  // A channel name of its own, so two sets in one test file never hear each other.
  const channel = `test-tabs-${Math.random().toString(36).slice(2)}`;

  async function settle(): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      await Promise.all(tabs.filter((tab) => !tab.bus.disposed).map((tab) => tab.crossTab.flush()));
      await hub.flush();
      // Lets async handlers take their next step, and reply, before the next round.
      await Promise.resolve();
    }
  }

  return {
    hub,
    clock,
    errors,
    open(tabId, app = 'test', tabOptions = {}) {
      const tabErrors: unknown[] = [];
      const seen: Message[] = [];
      const onError = (error: unknown): void => {
        tabErrors.push(error);
        errors.push(error);
      };
      const bus = createPubSub({ app, tabId, clock, onError });
      bus.subscribe('#', (message) => void seen.push(message));
      bus.subscribe('$sys.#', (message) => void seen.push(message));
      let page = pages.get(tabId);
      if (page === undefined) {
        const created = {
          crashed: false,
          channelFactory: (name: string) => crashable(hub.create(name), () => created.crashed),
        };
        pages.set(tabId, created);
        page = created;
      }
      const crossTab = attachCrossTab(bus, {
        channel,
        channelFactory: page.channelFactory,
        ...lockManagerOf(tabId),
        clock,
        leaderElection: 'heartbeat',
        ...crossTabDefaults,
        ...tabOptions,
      });
      const tab: TestTab = {
        bus,
        crossTab,
        errors: tabErrors,
        seen,
        topics: (prefix = '') => seen.filter((m) => m.topic.startsWith(prefix)).map((m) => m.topic),
        close() {
          crossTab.detach();
          bus.dispose();
        },
        crash() {
          page.crashed = true;
          if (locks !== undefined && 'closeTab' in locks) locks.closeTab(tabId);
        },
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

/** A channel that goes deaf and mute once `crashed()` is true, without closing. */
function crashable(channel: ChannelLike, crashed: () => boolean): ChannelLike {
  const guarded = new Map<(event: { data: unknown }) => void, (event: { data: unknown }) => void>();
  return {
    name: channel.name,
    postMessage: (data) => void (crashed() || channel.postMessage(data)),
    addEventListener(type, listener) {
      const guard = (event: { data: unknown }): void => void (crashed() || listener(event));
      guarded.set(listener, guard);
      channel.addEventListener(type, guard);
    },
    removeEventListener: (type, listener) => channel.removeEventListener(type, guarded.get(listener) ?? listener),
    close: () => channel.close(),
  };
}
