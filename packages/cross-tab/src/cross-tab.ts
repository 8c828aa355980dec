import {
  SwitchboardError,
  type AdapterLink,
  type BusAdapter,
  type Leadership,
  type Message,
  type PubSubBus,
} from '@switchboard/bus';
import { warnOnce } from '@switchboard/bus/internal';
import type { IgnoredReason } from './envelope.ts';
import { resolveCrossTabOptions, type CrossTabOptions } from './cross-tab-options.ts';
import { confirmPostable, createPayloadCheck } from './payload-check.ts';
import type { Presence, TabInfo } from './presence.ts';
import { LEADER_CHANGED, type LeaderChangedEvent } from './system-topics.ts';
import { createTabChannel, type TabChannel, type TabMember } from './tab-channel.ts';
import { getTabRegistry, keyOf } from './tab-registry.ts';

/** Counters of one cross-tab adapter. */
export interface CrossTabStats {
  /** `postMessage` calls of the tab's shared channel (all bus copies of the tab together). */
  readonly posted: number;
  /** Messages of this bus sent to other tabs. */
  readonly sent: number;
  /** Messages delivered to this bus from other tabs and from the other buses of this tab. */
  readonly received: number;
  /** Posts of the shared channel that carried more than one message. */
  readonly coalescedBatches: number;
  /** Envelopes read from the channel and dropped, by reason. */
  readonly ignoredEnvelopes: Readonly<Record<IgnoredReason, number>>;
  /** Invalid messages dropped from otherwise valid batches. */
  readonly droppedMessages: number;
  /** Posts that failed (reported through the bus's `onError`). */
  readonly postErrors: number;
}

/** Options of {@link CrossTab.whenLeader}. */
export interface WhenLeaderOptions {
  /** Stops waiting: the promise rejects with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** Cross-tab delivery attached to one bus. */
export interface CrossTab extends Leadership, Presence {
  /** This tab is the leader (always true where BroadcastChannel is missing: the tab is alone). */
  isLeader(): boolean;
  /** The leader's tab id, undefined until known. */
  leaderTabId(): string | undefined;
  /**
   * Resolves once this tab is the leader (at once if it is). Leadership is decided after the bus
   * is created, so `isLeader()` right after creation is false in every tab; await this instead.
   * Rejects with an `ABORTED` error when cross-tab is detached or `signal` aborts first.
   *
   * @example
   * import { createCrossTabPubSub } from '@switchboard/cross-tab';
   * const bus = createCrossTabPubSub({ app: 'orders' });
   * bus.crossTab.whenLeader().then(startPolling, (e) => console.info(e.message)); // ABORTED if detached first
   */
  whenLeader(options?: WhenLeaderOptions): Promise<void>;
  /**
   * Calls `listener` whenever this tab learns of a new leader (the first one included), with the
   * payload of `$sys.leader.changed`. Returns a function that stops listening.
   *
   * @example
   * import { createCrossTabPubSub } from '@switchboard/cross-tab';
   * const bus = createCrossTabPubSub({ app: 'orders' });
   * const off = bus.crossTab.onLeaderChange(({ isLeader }) => (isLeader ? startPolling() : stopPolling()));
   */
  onLeaderChange(listener: (event: LeaderChangedEvent) => void): () => void;
  /** Live tabs with their apps, this one first. */
  tabs(): TabInfo[];
  /** Counters. */
  stats(): CrossTabStats;
  /** Posts every message still waiting to be batched. `bus.flush()` does it too. */
  flush(): Promise<void>;
  /** Leaves the tab's shared channel; the last bus to leave says goodbye, gives up leadership and closes it. */
  detach(): void;
  /** False when messages stay in this tab (no BroadcastChannel). */
  readonly connected: boolean;
}

function aborted(why: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    'ABORTED',
    `whenLeader(): ${why} before this tab became the leader; call it again on an attached bus to keep waiting.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Sends everything the bus publishes to the other tabs of the origin, and delivers what they
 * publish to this bus's subscribers. Adds leader election and presence; see the README. Every bus
 * of a tab that attaches with the same options, bundled copies of the library included, shares one
 * channel and one heartbeat.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachCrossTab } from '@switchboard/cross-tab';
 * const bus = createPubSub({ app: 'orders' });
 * const crossTab = attachCrossTab(bus, { channel: 'shop' });
 * bus.subscribe('$sys.tab.joined', (m) => console.log('tab joined', m.payload));
 */
export function attachCrossTab(bus: Pick<PubSubBus, 'attach'>, options: CrossTabOptions = {}): CrossTab {
  const resolved = resolveCrossTabOptions(options);
  const { channelName, maxPayloadBytes } = resolved;
  const name = `cross-tab:${channelName}`;
  const payloads = createPayloadCheck(maxPayloadBytes);
  const withdrawals: Array<() => void> = [];
  const leaderListeners = new Set<(event: LeaderChangedEvent) => void>();
  // whenLeader() calls still waiting: they reject when cross-tab is detached.
  const detachWaiters = new Set<() => void>();
  let link!: AdapterLink;
  let tab: TabChannel | undefined;
  let member: TabMember | undefined;
  let received = 0;
  // The member, kept after detach for its counters.
  let self: TabMember | undefined;
  // Set while this adapter publishes its own presence/leader event: each tab derives those
  // itself, so they stay local (sending them would give every tab one copy per tab).
  let localTopic: string | undefined;

  function report(error: unknown, message?: Message): void {
    link.reportError(error, message ? { kind: 'adapter', adapter: name, message } : { kind: 'adapter', adapter: name });
  }

  function announce(topic: string, payload: unknown): void {
    if (member === undefined) return;
    localTopic = topic;
    try {
      link.publishSystem(topic, payload);
    } catch (error) {
      report(error);
    } finally {
      localTopic = undefined;
    }
    if (topic !== LEADER_CHANGED) return;
    for (const listener of [...leaderListeners]) {
      try {
        listener(payload as LeaderChangedEvent);
      } catch (error) {
        report(error);
      }
    }
  }

  function join(): TabChannel {
    const registry = getTabRegistry();
    const key = [
      link.tabId,
      channelName,
      keyOf(registry, options.channelFactory, resolved.channelFactory === undefined ? 'none' : 'platform'),
      keyOf(registry, options.clock, 'system'),
      resolved.heartbeatMs,
      resolved.tabTimeoutMs,
      resolved.hiddenTabTimeoutMs,
      resolved.leaderElection,
      keyOf(registry, resolved.locks, 'none'),
      keyOf(registry, resolved.lifecycle, 'none'),
    ].join('|');
    return (
      registry.channels.get(key) ??
      createTabChannel(
        {
          ...resolved,
          key,
          tabId: link.tabId,
          maxBatchBytes: Math.max(maxPayloadBytes, 1024 * 1024),
        },
        registry,
      )
    );
  }

  function disconnect(): void {
    if (member === undefined) return;
    const leaving = member;
    member = undefined;
    tab?.leave(leaving);
    for (const withdraw of withdrawals.splice(0)) withdraw();
    leaderListeners.clear();
    for (const waiter of [...detachWaiters]) waiter();
  }

  const crossTab: CrossTab = {
    isLeader: () => member !== undefined && tab!.isLeader(),
    leaderTabId: () => (member === undefined ? undefined : tab!.leaderTabId()),
    whenLeader({ signal } = {}) {
      if (crossTab.isLeader()) return Promise.resolve();
      if (member === undefined) return Promise.reject(aborted('cross-tab was detached'));
      if (signal?.aborted) return Promise.reject(aborted('the signal aborted', signal.reason));
      return new Promise<void>((resolve, reject) => {
        const settle = (error?: SwitchboardError): void => {
          offLeader();
          detachWaiters.delete(onDetach);
          signal?.removeEventListener('abort', onAbort);
          if (error === undefined) resolve();
          else reject(error);
        };
        const offLeader = crossTab.onLeaderChange((event) => void (event.isLeader && settle()));
        const onDetach = (): void => settle(aborted('cross-tab was detached'));
        const onAbort = (): void => settle(aborted('the signal aborted', signal?.reason));
        detachWaiters.add(onDetach);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    onLeaderChange(listener) {
      if (member === undefined) return () => {};
      leaderListeners.add(listener);
      return () => void leaderListeners.delete(listener);
    },
    tabs: () => tab?.tabs() ?? [],
    onChange(listener) {
      if (tab === undefined) return () => {};
      return tab.onChange((tabs) => {
        try {
          listener(tabs);
        } catch (error) {
          report(error);
        }
      });
    },
    // The shared channel's counters, with this bus's own.
    stats: () => ({ ...tab!.stats(), sent: self!.sent, received }),
    flush() {
      tab?.flush();
      return Promise.resolve();
    },
    detach: () => detachFromBus(),
    get connected() {
      return member !== undefined && tab!.connected;
    },
  };

  const adapter: BusAdapter = {
    name,
    // What is posted as an object is confirmed at publish to clone (a Proxy does not).
    clones: confirmPostable,
    connect(busLink) {
      link = busLink;
      const leadership: Leadership = { isLeader: crossTab.isLeader, leaderTabId: crossTab.leaderTabId };
      const presenceService: Presence = { tabs: crossTab.tabs, onChange: crossTab.onChange };
      withdrawals.push(link.provide('leadership', leadership), link.provide('presence', presenceService));
      if (resolved.channelFactory === undefined) {
        warnOnce(
          'cross-tab-unsupported',
          `attachCrossTab(): BroadcastChannel is not available here, so messages stay in this tab; pass channelFactory to connect tabs another way.`,
        );
      }
      member = self = {
        app: link.app,
        sent: 0,
        deliver(message) {
          if (member === undefined) return;
          received++;
          link.inject(message);
        },
        announce,
        report,
      };
      tab = join();
      tab.join(member);
    },
    check: (message) => payloads.check(message),
    onPublish(message) {
      if (message.topic === localTopic) {
        localTopic = undefined;
        return;
      }
      if (member !== undefined) tab!.send(member, message, payloads.sizeOf(message));
    },
    flush: () => crossTab.flush(),
    disconnect,
  };

  const detachFromBus = bus.attach(adapter);
  return crossTab;
}
