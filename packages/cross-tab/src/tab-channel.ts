import type { Clock, Message } from '@switchboard/bus';
import type { ChannelFactory, ChannelLike } from './channel.ts';
import { createCoalescer } from './coalescer.ts';
import { createEnvelopeReader, writeEnvelope, type Envelope, type IgnoredReason } from './envelope.ts';
import { commit, createSecret } from './goodbye-proof.ts';
import { createLocalHandOver } from './local-hand-over.ts';
import { createLeaderElection, type LeaderElection, type LockManagerLike } from './leader-election.ts';
import { isPageHidden, watchPageLifecycle, type LifecycleTarget } from './page-lifecycle.ts';
import { postCloneError } from './payload-check.ts';
import { createPresence, type PresenceTable, type Sighting, type TabInfo } from './presence.ts';
import { createRejections } from './rejections.ts';
import { LEADER_CHANGED, TAB_JOINED, TAB_LEFT } from './system-topics.ts';
import { lockChanged, tabHoldsLock, type TabRegistry } from './tab-registry.ts';

/**
 * One bus on a tab's shared channel. Plain data and functions only: the channel may come from
 * another bundled copy of the library.
 */
export interface TabMember {
  readonly app: string;
  /** Messages of this bus that were posted to the other tabs. */
  sent: number;
  /** A message published by another tab or another bus of this tab. */
  deliver(message: Message): void;
  /** A presence or leadership event, published on this bus only. */
  announce(topic: string, payload: unknown): void;
  /** An error for this bus's `onError`. */
  report(error: unknown, message?: Message): void;
}

/** Counters of a shared channel. */
interface TabChannelStats {
  readonly posted: number;
  readonly coalescedBatches: number;
  readonly ignoredEnvelopes: Readonly<Record<IgnoredReason, number>>;
  readonly droppedMessages: number;
  readonly postErrors: number;
}

/**
 * The channel, heartbeat, presence and leader election of one tab for one channel name, shared by
 * every bus in the tab (bundled copies included) that attaches with the same settings. What one
 * bus publishes goes to the other tabs in one post and to the other buses of this tab directly.
 */
export interface TabChannel {
  readonly tabId: string;
  readonly lockName: string;
  readonly connected: boolean;
  join(member: TabMember): void;
  leave(member: TabMember): void;
  send(member: TabMember, message: Message, bytes: number): void;
  flush(): void;
  tabs(): TabInfo[];
  onChange(listener: (tabs: TabInfo[]) => void): () => void;
  isLeader(): boolean;
  leaderTabId(): string | undefined;
  holdsLock(): boolean;
  /** Another shared channel of this tab took or gave up the lock. */
  leadershipChanged(): void;
  stats(): TabChannelStats;
}

/** What a shared channel is opened with. */
export interface TabChannelSettings {
  readonly key: string;
  readonly tabId: string;
  readonly channelName: string;
  /** Undefined where BroadcastChannel is missing: the tab's buses still reach each other. */
  readonly channelFactory: ChannelFactory | undefined;
  readonly clock: Clock;
  readonly maxBatchBytes: number;
  readonly heartbeatMs: number;
  readonly tabTimeoutMs: number;
  readonly hiddenTabTimeoutMs: number;
  readonly locks: LockManagerLike | undefined;
  readonly leaderElection: 'locks' | 'heartbeat';
  readonly lifecycle: LifecycleTarget | undefined;
}

/** Creates a shared channel and enters it in `registry`; it leaves the registry when its last bus does. */
export function createTabChannel(settings: TabChannelSettings, registry: TabRegistry): TabChannel {
  const { tabId, channelName, channelFactory, clock, heartbeatMs, tabTimeoutMs, hiddenTabTimeoutMs } = settings;
  const lockName = `switchboard:${channelName}:leader`;
  const from = `${tabId}.${randomId()}`;
  const members: TabMember[] = [];
  let apps: string[] = [];
  const counts = { posted: 0, coalescedBatches: 0, droppedMessages: 0, postErrors: 0 };
  const readEnvelope = createEnvelopeReader();
  const rejections = createRejections(channelName, (error) => reportAll(error));
  let channel: ChannelLike | undefined;
  let election: LeaderElection | undefined;
  let state: 'open' | 'frozen' | 'closed' = 'open';
  let seq = 0;
  let since = clock.now();
  let leader: string | undefined;
  let beatTimer: unknown;
  let secret = createSecret();
  let commitment = commit(secret);
  let announcing = false;
  let unwatchPage = (): void => {};
  const handOver = createLocalHandOver(members);

  const coalescer = createCoalescer<TabMember>({ post: postBatch, maxBytes: settings.maxBatchBytes });
  const presence: PresenceTable = createPresence({
    tabId,
    apps: () => apps,
    now: () => clock.now(),
    minTtl: tabTimeoutMs,
    maxTtl: hiddenTabTimeoutMs,
    leaderTabId: () => tabChannel.leaderTabId(),
    onJoin: (tab) => announceAll(TAB_JOINED, tab),
    onLeave: (tab) => announceAll(TAB_LEFT, tab),
  });

  function reportAll(error: unknown): void {
    for (const member of [...members]) member.report(error);
  }

  function announceAll(topic: string, payload: unknown): void {
    for (const member of [...members]) member.announce(topic, payload);
  }

  /** Posts one envelope; returns what `postMessage` threw, if anything. */
  function post(kind: Envelope['kind'], messages?: Message[]): unknown {
    if (channel === undefined || state !== 'open') return undefined;
    const ttl = isPageHidden() ? hiddenTabTimeoutMs : tabTimeoutMs;
    const leads = election?.holdsLock() ?? false;
    const proof = kind === 'batch' ? '' : kind === 'bye' ? secret : commitment;
    try {
      channel.postMessage(
        writeEnvelope({ kind, from, tabId, apps, seq: ++seq, since, leader: leads, ttl, proof }, messages),
      );
      counts.posted++;
      return undefined;
    } catch (error) {
      return error ?? new Error('postMessage threw undefined');
    }
  }

  function postBatch(messages: Message[], owners: TabMember[]): void {
    const error = post('batch', messages);
    if (error === undefined) {
      if (channel !== undefined && state === 'open') {
        for (const owner of owners) owner.sent++;
        if (messages.length > 1) counts.coalescedBatches++;
      }
      handOver(messages, owners);
      return;
    }
    const unclonable = (error as { name?: unknown }).name === 'DataCloneError';
    // A value the pre-check missed failed to clone: send the others, report the culprit.
    if (unclonable && messages.length > 1) {
      for (let i = 0; i < messages.length; i++) postBatch([messages[i]!], [owners[i]!]);
      return;
    }
    counts.postErrors++;
    const message = messages.length === 1 ? messages[0] : undefined;
    for (const owner of new Set(owners))
      owner.report(unclonable && message ? postCloneError(message, error) : error, message);
  }

  function postControl(kind: 'hello' | 'beat' | 'bye'): void {
    const error = post(kind);
    if (error === undefined) return;
    counts.postErrors++;
    reportAll(error);
  }

  function updateLeader(): void {
    if (state === 'closed') return;
    const next = tabChannel.leaderTabId();
    if (next === leader) return;
    const previous = leader;
    leader = next;
    announceAll(LEADER_CHANGED, { leaderTabId: next, previousLeaderTabId: previous, isLeader: next === tabId });
    presence.notify();
  }

  function beat(): void {
    beatTimer = clock.setTimeout(beat, heartbeatMs);
    postControl('beat');
    presence.sweep();
    updateLeader();
    rejections.report();
  }

  function start(): void {
    state = 'open';
    since = clock.now();
    postControl('hello');
    election?.start();
    clock.clearTimeout(beatTimer);
    beatTimer = clock.setTimeout(beat, heartbeatMs);
  }

  function stop(): void {
    coalescer.flush();
    postControl('bye');
    // The goodbye made the secret public: a channel restored from the cache needs a new one.
    secret = createSecret();
    commitment = commit(secret);
    clock.clearTimeout(beatTimer);
    election?.stop();
    lockChanged(registry, tabChannel);
  }

  function openChannel(factory: ChannelFactory): void {
    channel = factory(channelName);
    channel.addEventListener('message', onMessage);
  }

  function closeChannel(): void {
    channel?.removeEventListener('message', onMessage);
    channel?.close();
  }

  /** Why a well-formed envelope must be ignored, if it must; otherwise records it in presence. */
  function check(received: Envelope): IgnoredReason | Sighting {
    if (received.from === from) return 'own';
    // Checked before anything else is read from it: a forged goodbye must change nothing.
    if (received.kind === 'bye' && !presence.isGenuineGoodbye(received)) return 'forged';
    return presence.see(received);
  }

  function onMessage(event: { data: unknown }): void {
    if (state !== 'open') return;
    const read = readEnvelope(event.data);
    if (!read.ok) {
      rejections.ignore(read.reason);
      return;
    }
    const received = read.envelope;
    const sighting = check(received);
    if (sighting !== 'seen' && sighting !== 'joined') {
      rejections.ignore(sighting);
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
      case 'batch': {
        const to = [...members];
        // Each message to every bus as it is read: none waits in a list for the rest of the batch.
        const dropped = received.readMessages!((message) => {
          for (let i = 0; i < to.length; i++) to[i]!.deliver(message);
        });
        if (dropped > 0) {
          counts.droppedMessages += dropped;
          rejections.drop(dropped);
        }
        // Leadership changes are announced with a beat; only a newcomer's first batch can matter.
        if (sighting === 'seen') return;
        break;
      }
      case 'beat':
        break;
    }
    updateLeader();
  }

  /** Tells the other tabs at once that this tab's apps changed, once per synchronous run. */
  function announceApps(): void {
    if (announcing) return;
    announcing = true;
    queueMicrotask(() => {
      announcing = false;
      if (members.length > 0) postControl('beat');
    });
  }

  /** Gives a bus that joins a running channel the events its first heartbeats would have brought. */
  function welcome(member: TabMember): void {
    queueMicrotask(() => {
      if (!members.includes(member)) return;
      for (const tab of presence.tabs().slice(1)) member.announce(TAB_JOINED, { tabId: tab.tabId, apps: tab.apps });
      if (leader !== undefined) {
        member.announce(LEADER_CHANGED, {
          leaderTabId: leader,
          previousLeaderTabId: undefined,
          isLeader: leader === tabId,
        });
      }
    });
  }

  const pageHandlers = {
    onHide(): void {
      if (state !== 'open') return;
      // The page is unloading or entering the back/forward cache: say goodbye either way, so the
      // other tabs see it gone now and leadership moves on; a restore brings it back.
      stop();
      state = 'frozen';
      // Chrome evicts a cached page that a BroadcastChannel message reaches: with the channel
      // open, the other tabs' heartbeats would cost this page its place in the cache.
      closeChannel();
      // The lock is gone: this tab's buses hear it now, so what acts for the leader (a broker
      // connection) stops while the page still runs, instead of working on unheard until the
      // page is torn down.
      updateLeader();
    },
    onRestore(): void {
      if (state !== 'frozen') return;
      if (channelFactory !== undefined) openChannel(channelFactory);
      // Peers were frozen in time with this tab: give them a fresh timeout to answer the hello.
      presence.extend(tabTimeoutMs);
      start();
    },
    onVisibilityChange(): void {
      // Announce the longer hidden timeout before the browser starts throttling this tab's timers.
      if (state === 'open') postControl('beat');
    },
  };

  function close(): void {
    if (state === 'open') stop();
    state = 'closed';
    clock.clearTimeout(beatTimer);
    closeChannel();
    unwatchPage();
    presence.clear();
    if (registry.channels.get(settings.key) === tabChannel) registry.channels.delete(settings.key);
  }

  const tabChannel: TabChannel = {
    tabId,
    lockName,
    get connected() {
      return channel !== undefined && state !== 'closed';
    },
    join(member) {
      members.push(member);
      if (!apps.includes(member.app)) apps = [...apps, member.app];
      if (members.length > 1) {
        announceApps();
        welcome(member);
        presence.notify();
        return;
      }
      if (channelFactory === undefined) return;
      openChannel(channelFactory);
      election = createLeaderElection({
        mode: settings.leaderElection,
        lockName,
        locks: settings.locks,
        tabId,
        from,
        since: () => since,
        tabHoldsLock: () => tabHoldsLock(registry, tabId, lockName),
        clock,
        settleMs: heartbeatMs,
        onChange() {
          // The lock was granted (or the wait for answers is over): tell the others now.
          if (election?.holdsLock()) postControl('beat');
          lockChanged(registry, tabChannel);
          updateLeader();
        },
        onError: reportAll,
      });
      unwatchPage = watchPageLifecycle(settings.lifecycle, pageHandlers);
      start();
    },
    leave(member) {
      const index = members.indexOf(member);
      if (index < 0) return;
      coalescer.flush();
      members.splice(index, 1);
      if (members.length === 0) return close();
      apps = [];
      for (const other of members) if (!apps.includes(other.app)) apps.push(other.app);
      announceApps();
      presence.notify();
    },
    send(member, message, bytes) {
      if (state === 'closed') return;
      coalescer.push(message, bytes, member);
    },
    flush: () => coalescer.flush(),
    tabs: () => presence.tabs(),
    onChange: (listener) => presence.onChange(listener),
    isLeader: () => tabChannel.leaderTabId() === tabId,
    leaderTabId() {
      if (channel === undefined) return tabId;
      return election?.leaderTabId(presence.peers());
    },
    holdsLock: () => election?.holdsLock() ?? false,
    leadershipChanged: () => updateLeader(),
    stats: () => ({ ...counts, ignoredEnvelopes: rejections.counts() }),
  };
  registry.channels.set(settings.key, tabChannel);
  return tabChannel;
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += (byte % 36).toString(36);
  return id;
}
