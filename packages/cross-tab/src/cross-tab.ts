import type { AdapterLink, BusAdapter, Leadership, Message, PubSubBus } from '@switchboard/bus';
import { warnOnce } from '@switchboard/bus/internal';
import type { ChannelLike } from './channel.ts';
import { createCoalescer } from './coalescer.ts';
import { createEnvelopeReader, writeEnvelope, type Envelope, type IgnoredReason } from './envelope.ts';
import { resolveCrossTabOptions, type CrossTabOptions } from './cross-tab-options.ts';
import { createLeaderElection, type LeaderElection } from './leader-election.ts';
import { isPageHidden, watchPageLifecycle } from './page-lifecycle.ts';
import { createPayloadCheck, postCloneError } from './payload-check.ts';
import { createPresence, type Presence, type PresenceTable, type TabInfo } from './presence.ts';
import { LEADER_CHANGED, TAB_JOINED, TAB_LEFT } from './system-topics.ts';

/** Counters of one cross-tab adapter. */
export interface CrossTabStats {
  /** `postMessage` calls. */
  readonly posted: number;
  /** Messages sent to other tabs. */
  readonly sent: number;
  /** Messages received from other tabs (or other bus copies in this tab) and delivered. */
  readonly received: number;
  /** Posts that carried more than one message. */
  readonly coalescedBatches: number;
  /** Envelopes read from the channel and dropped, by reason. */
  readonly ignoredEnvelopes: Readonly<Record<IgnoredReason, number>>;
  /** Invalid messages dropped from otherwise valid batches. */
  readonly droppedMessages: number;
  /** Posts that failed (reported through the bus's `onError`). */
  readonly postErrors: number;
}

/** Cross-tab delivery attached to one bus. */
export interface CrossTab extends Leadership, Presence {
  /** This tab is the leader (always true where BroadcastChannel is missing: the tab is alone). */
  isLeader(): boolean;
  /** The leader's tab id, undefined until known. */
  leaderTabId(): string | undefined;
  /** Live tabs with their apps, this one first. */
  tabs(): TabInfo[];
  /** Counters. */
  stats(): CrossTabStats;
  /** Posts every message still waiting to be batched. `bus.flush()` does it too. */
  flush(): Promise<void>;
  /** Says goodbye to the other tabs, gives up leadership and closes the channel. */
  detach(): void;
  /** False when messages stay in this tab (no BroadcastChannel). */
  readonly connected: boolean;
}

/**
 * Sends everything the bus publishes to the other tabs of the origin, and delivers what they
 * publish to this bus's subscribers. Adds leader election and presence; see the README.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { attachCrossTab } from '@switchboard/cross-tab';
 * const bus = createPubSub({ app: 'orders' });
 * const crossTab = attachCrossTab(bus, { channel: 'shop' });
 * bus.subscribe('$sys.tab.joined', (m) => console.log('tab joined', m.payload));
 */
export function attachCrossTab(bus: Pick<PubSubBus, 'attach'>, options: CrossTabOptions = {}): CrossTab {
  const {
    channelName,
    channelFactory,
    clock,
    maxPayloadBytes,
    heartbeatMs,
    tabTimeoutMs,
    hiddenTabTimeoutMs,
    locks,
    leaderElection: mode,
    lifecycle,
  } = resolveCrossTabOptions(options);
  const name = `cross-tab:${channelName}`;

  const counts = { posted: 0, sent: 0, received: 0, coalescedBatches: 0, droppedMessages: 0, postErrors: 0 };
  const ignored: Record<IgnoredReason, number> = { foreign: 0, malformed: 0, futureVersion: 0, duplicate: 0, own: 0 };
  const payloads = createPayloadCheck(maxPayloadBytes);
  const withdrawals: Array<() => void> = [];
  let link!: AdapterLink;
  let from = '';
  let channel: ChannelLike | undefined;
  let presence!: PresenceTable;
  let election: LeaderElection | undefined;
  let seq = 0;
  let since = 0;
  let leader: string | undefined;
  let beatTimer: unknown;
  let frozen = false;
  let closed = false;
  // Set while this adapter publishes its own presence/leader event: each tab derives those
  // itself, so they stay local (sending them would give every tab one copy per tab).
  let localTopic: string | undefined;
  let unwatchPage = (): void => {};

  const coalescer = createCoalescer({ post: postBatch, maxBytes: Math.max(maxPayloadBytes, 1024 * 1024) });

  const readEnvelope = createEnvelopeReader();

  function envelope(kind: Envelope['kind'], messages?: Message[]): unknown[] {
    return writeEnvelope(
      {
        kind,
        from,
        tabId: link.tabId,
        app: link.app,
        seq: ++seq,
        since,
        leader: election?.holdsLock() ?? false,
        ttl: isPageHidden() ? hiddenTabTimeoutMs : tabTimeoutMs,
      },
      messages,
    );
  }

  /** Posts one envelope; returns what `postMessage` threw, if anything. */
  function post(kind: Envelope['kind'], messages?: Message[]): unknown {
    if (channel === undefined || closed || frozen) return undefined;
    try {
      channel.postMessage(envelope(kind, messages));
      counts.posted++;
      return undefined;
    } catch (error) {
      return error ?? new Error('postMessage threw undefined');
    }
  }

  function postBatch(messages: Message[]): void {
    const error = post('batch', messages);
    if (error === undefined) {
      counts.sent += messages.length;
      if (messages.length > 1) counts.coalescedBatches++;
      return;
    }
    const unclonable = (error as { name?: unknown }).name === 'DataCloneError';
    // A value the pre-check missed failed to clone: send the others, report the culprit.
    if (unclonable && messages.length > 1) {
      for (const message of messages) postBatch([message]);
      return;
    }
    counts.postErrors++;
    const message = messages.length === 1 ? messages[0]! : undefined;
    link.reportError(
      unclonable && message ? postCloneError(message, error) : error,
      message ? { kind: 'adapter', adapter: name, message } : { kind: 'adapter', adapter: name },
    );
  }

  function postControl(kind: 'hello' | 'beat' | 'bye'): void {
    const error = post(kind);
    if (error === undefined) return;
    counts.postErrors++;
    link.reportError(error, { kind: 'adapter', adapter: name });
  }

  function publishLocal(topic: string, payload: unknown): void {
    if (closed) return;
    localTopic = topic;
    try {
      link.publishSystem(topic, payload);
    } catch (error) {
      link.reportError(error, { kind: 'adapter', adapter: name });
    } finally {
      localTopic = undefined;
    }
  }

  function updateLeader(): void {
    if (closed || election === undefined) return;
    const next = election.leaderTabId(presence.peers());
    if (next === leader) return;
    const previous = leader;
    leader = next;
    publishLocal(LEADER_CHANGED, { leaderTabId: next, previousLeaderTabId: previous, isLeader: next === link.tabId });
    presence.notify();
  }

  function beat(): void {
    beatTimer = clock.setTimeout(beat, heartbeatMs);
    postControl('beat');
    presence.sweep();
    updateLeader();
  }

  function join(): void {
    frozen = false;
    since = clock.now();
    postControl('hello');
    election?.start();
    clock.clearTimeout(beatTimer);
    beatTimer = clock.setTimeout(beat, heartbeatMs);
  }

  function leave(): void {
    coalescer.flush();
    postControl('bye');
    clock.clearTimeout(beatTimer);
    election?.stop();
  }

  function openChannel(factory: NonNullable<typeof channelFactory>): void {
    channel = factory(channelName);
    channel.addEventListener('message', onMessage);
  }

  function closeChannel(): void {
    channel?.removeEventListener('message', onMessage);
    channel?.close();
  }

  function onMessage(event: { data: unknown }): void {
    if (closed || frozen) return;
    const read = readEnvelope(event.data);
    if (!read.ok) {
      ignored[read.reason]++;
      return;
    }
    const received = read.envelope;
    if (received.from === from) {
      ignored.own++;
      return;
    }
    counts.droppedMessages += read.malformedMessages;
    if (!presence.see(received)) {
      ignored.duplicate++;
      return;
    }
    switch (received.kind) {
      case 'hello':
        // A newcomer: answer at once, so it knows the tabs (and the leader) without waiting a beat.
        postControl('beat');
        break;
      case 'bye':
        presence.remove(received.from);
        break;
      case 'batch':
        for (const message of received.messages!) {
          counts.received++;
          link.inject(message);
        }
        break;
      case 'beat':
        break;
    }
    updateLeader();
  }

  const pageHandlers = {
    onHide(): void {
      if (closed || frozen) return;
      // The page is unloading or entering the back/forward cache: say goodbye either way, so the
      // other tabs see it gone now and leadership moves on; a restore brings it back.
      leave();
      frozen = true;
      // Chrome evicts a cached page that a BroadcastChannel message reaches: with the channel
      // open, the other tabs' heartbeats would cost this page its place in the cache.
      closeChannel();
    },
    onRestore(): void {
      if (closed || !frozen) return;
      if (channel !== undefined && channelFactory !== undefined) openChannel(channelFactory);
      // Peers were frozen in time with this tab: give them a fresh timeout to answer the hello.
      presence.extend(tabTimeoutMs);
      join();
    },
    onVisibilityChange(): void {
      // Announce the longer hidden timeout before the browser starts throttling this tab's timers.
      if (!closed && !frozen) postControl('beat');
    },
  };

  function disconnect(): void {
    if (closed) return;
    if (channel !== undefined && !frozen) leave();
    closed = true;
    clock.clearTimeout(beatTimer);
    election?.stop();
    closeChannel();
    unwatchPage();
    for (const withdraw of withdrawals.splice(0)) withdraw();
    presence.clear();
  }

  const crossTab: CrossTab = {
    isLeader: () => (channel === undefined ? true : leader === link.tabId),
    leaderTabId: () => (channel === undefined ? link.tabId : leader),
    tabs: () => presence.tabs(),
    onChange: (listener) => presence.onChange(listener),
    stats: () => ({ ...counts, ignoredEnvelopes: { ...ignored } }),
    flush() {
      coalescer.flush();
      return Promise.resolve();
    },
    detach: () => detachFromBus(),
    get connected() {
      return channel !== undefined && !closed;
    },
  };

  const adapter: BusAdapter = {
    name,
    // Every message is posted, so the bus confirms at publish that it clones (a Proxy does not).
    clones: true,
    connect(busLink) {
      link = busLink;
      from = `${link.tabId}.${randomId()}`;
      presence = createPresence({
        tabId: link.tabId,
        app: link.app,
        now: () => clock.now(),
        leaderTabId: () => crossTab.leaderTabId(),
        onJoin: (tab) => publishLocal(TAB_JOINED, tab),
        onLeave: (tab) => publishLocal(TAB_LEFT, tab),
        onError: (error) => link.reportError(error, { kind: 'adapter', adapter: name }),
      });
      const leadership: Leadership = { isLeader: crossTab.isLeader, leaderTabId: crossTab.leaderTabId };
      const presenceService: Presence = { tabs: crossTab.tabs, onChange: crossTab.onChange };
      withdrawals.push(link.provide('leadership', leadership), link.provide('presence', presenceService));
      if (channelFactory === undefined) {
        warnOnce(
          'cross-tab-unsupported',
          `attachCrossTab(): BroadcastChannel is not available here, so messages stay in this tab; pass channelFactory to connect tabs another way.`,
        );
        return;
      }
      openChannel(channelFactory);
      election = createLeaderElection({
        mode,
        lockName: `switchboard:${channelName}:leader`,
        locks,
        tabId: link.tabId,
        from,
        since: () => since,
        clock,
        settleMs: heartbeatMs,
        onChange() {
          // The lock was granted (or the wait for answers is over): tell the others now.
          if (election?.holdsLock()) postControl('beat');
          updateLeader();
        },
        onError: (error) => link.reportError(error, { kind: 'adapter', adapter: name }),
      });
      unwatchPage = watchPageLifecycle(lifecycle, pageHandlers);
      join();
    },
    check: (message) => payloads.check(message),
    onPublish(message) {
      if (message.topic === localTopic) {
        localTopic = undefined;
        return;
      }
      // Between pagehide and pageshow this tab has said goodbye: it must not reappear to the others.
      if (channel === undefined || closed || frozen) return;
      coalescer.push(message, payloads.sizeOf(message));
    },
    flush: () => crossTab.flush(),
    disconnect,
  };

  const detachFromBus = bus.attach(adapter);
  return crossTab;
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += (byte % 36).toString(36);
  return id;
}
