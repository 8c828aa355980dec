/**
 * Several "tabs" in one process for unit tests: buses with their own tab ids, linked by
 * `@switchboard/cross-tab` over an in-memory channel hub, all on one fake clock. What one tab
 * publishes reaches the others as it would between real tabs (cloned, asynchronously, with
 * presence and leader election), and `advance()` moves heartbeats and timeouts on command.
 *
 * The caller passes `attachCrossTab`: this package depends on the bus alone, so cross-tab's own
 * tests can use it without a dependency cycle, and the tabs run the cross-tab the app runs.
 */
import { createPubSub, type AnyTopicMap, type Message, type PubSubBus, type TopicMap } from '@switchboard/bus';
import { TestingError } from './errors.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import type { createFakeLocks, FakeLocks } from './fake-locks.ts';
import { createMemoryChannelHub, type ChannelLike, type MemoryChannelHub } from './memory-channel.ts';

/** What the tabs need of the adapter `attachCrossTab` returns. */
export interface CrossTabLike {
  /** Posts what waits to be batched. */
  flush(): Promise<void>;
  /** Says goodbye and closes the channel. */
  detach(): void;
}

/** The options `createTestTabs` always gives `attachCrossTab`, besides those of the set and tab. */
export interface LinkOptions {
  /** A channel name of the set's own. */
  readonly channel: string;
  /** Opens the set's in-memory channels. */
  readonly channelFactory: (name: string) => ChannelLike;
  /** The set's fake clock. */
  readonly clock: FakeClock;
  /** Heartbeat election, so leadership moves on the fake clock (override it per set or tab). */
  readonly leaderElection: 'heartbeat';
}

/** `attachCrossTab` of `@switchboard/cross-tab`, whose options `O` the set and its tabs may set. */
// biome-ignore lint/suspicious/noExplicitAny: the tabs' buses have any topic map.
export type AttachCrossTab<C extends CrossTabLike, O> = (bus: PubSubBus<any>, options?: O) => C;

/** Options of cross-tab `O` that a set or a tab may set (those of {@link LinkOptions} too). */
export type TabCrossTabOptions<O> = Partial<NonNullable<O>>;

/** One simulated tab: its bus (typed by `M`) and its cross-tab adapter `C`. */
export interface TestTab<C extends CrossTabLike = CrossTabLike, M extends TopicMap = AnyTopicMap> {
  readonly bus: PubSubBus<M>;
  readonly crossTab: C;
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

/** The type of cross-tab's `locks` option, in its options `O`. */
type LocksOf<O> = NonNullable<O> extends { locks?: infer L } ? L : never;

/**
 * Options of {@link createTestTabs}: the `attachCrossTab` that links the tabs, the shared clock,
 * and cross-tab options every tab gets (`heartbeatMs`, `leaderElection`…).
 */
export type TestTabsOptions<C extends CrossTabLike, O> = {
  /** `attachCrossTab` from `@switchboard/cross-tab`. */
  attachCrossTab: AttachCrossTab<C, O>;
  /** @default createFakeClock(1_000_000) */
  clock?: FakeClock;
  /**
   * Web Locks for `leaderElection: 'locks'`: {@link createFakeLocks} gives each tab its own
   * manager (`locks.forTab(tabId)`) and releases a crashed tab's locks; one lock manager is
   * shared by every tab as it is.
   */
  locks?: FakeLocks | NoInfer<LocksOf<O>>;
} & NoInfer<Omit<TabCrossTabOptions<O>, 'clock' | 'locks'>>;

/** A set of linked test tabs. */
export interface TestTabs<C extends CrossTabLike = CrossTabLike, O = object> {
  readonly hub: MemoryChannelHub;
  readonly clock: FakeClock;
  /** Errors reported by every tab's bus. */
  readonly errors: unknown[];
  /**
   * Opens a tab; `options` override the set's cross-tab options for this tab. `M` types its bus.
   * Opening a tab id again adds another bus to that page, as a second bundled copy of the library
   * would: the buses of one page share its channel.
   */
  open<M extends TopicMap = AnyTopicMap>(tabId: string, app?: string, options?: TabCrossTabOptions<O>): TestTab<C, M>;
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
 * import { attachCrossTab } from '@switchboard/cross-tab';
 * import { createTestTabs } from '@switchboard/testing';
 * const tabs = createTestTabs({ attachCrossTab });
 * const a = tabs.open('tab-a', 'orders');
 * const b = tabs.open('tab-b', 'inventory');
 * a.bus.publish('orders.placed', { id: 1 });
 * await tabs.settle();
 * b.topics('orders.'); // ['orders.placed']
 */
export function createTestTabs<C extends CrossTabLike, O>(options: TestTabsOptions<C, O>): TestTabs<C, O> {
  const { attachCrossTab, clock = createFakeClock(1_000_000), locks, ...crossTabDefaults } = options ?? {};
  if (typeof attachCrossTab !== 'function') {
    throw new TestingError(
      'INVALID_OPTION',
      'createTestTabs(): pass { attachCrossTab }, the function of @switchboard/cross-tab: it links the tabs, and this package does not load cross-tab itself.',
    );
  }
  const lockManagerOf = (tabId: string): { locks?: unknown } =>
    locks === undefined || locks === null ? {} : { locks: isFakeLocks(locks) ? locks.forTab(tabId) : locks };
  const hub = createMemoryChannelHub();
  const errors: unknown[] = [];
  const tabs: TestTab<C>[] = [];
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
    open<M extends TopicMap = AnyTopicMap>(tabId: string, app = 'test', tabOptions: TabCrossTabOptions<O> = {}) {
      const tabErrors: unknown[] = [];
      const seen: Message[] = [];
      const onError = (error: unknown): void => {
        tabErrors.push(error);
        errors.push(error);
      };
      const bus = createPubSub<M>({ app, tabId, clock, onError });
      bus.subscribe<unknown>('#', (message) => void seen.push(message));
      bus.subscribe<unknown>('$sys.#', (message) => void seen.push(message));
      let page = pages.get(tabId);
      if (page === undefined) {
        const created = {
          crashed: false,
          channelFactory: (name: string) => crashable(hub.create(name), () => created.crashed),
        };
        pages.set(tabId, created);
        page = created;
      }
      const link: LinkOptions = { channel, channelFactory: page.channelFactory, clock, leaderElection: 'heartbeat' };
      // The set's and the tab's options are cross-tab's own (O), the rest is the set's link.
      const crossTab = attachCrossTab(bus, {
        ...link,
        ...lockManagerOf(tabId),
        ...crossTabDefaults,
        ...tabOptions,
      } as O);
      const tab: TestTab<C, M> = {
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
          if (locks !== undefined && locks !== null && isFakeLocks(locks)) locks.closeTab(tabId);
        },
      };
      tabs.push(tab as unknown as TestTab<C>);
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

function isFakeLocks(locks: unknown): locks is FakeLocks {
  return typeof (locks as Partial<FakeLocks>).forTab === 'function';
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
