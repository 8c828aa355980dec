import {
  findUncloneable,
  SwitchboardError,
  systemClock,
  type AdapterLink,
  type BusAdapter,
  type Clock,
  type Leadership,
  type Message,
  type PubSubBus,
} from '@switchboard/bus';
import { isSupported, openBroadcastChannel, type ChannelFactory, type ChannelLike } from './channel.ts';
import { createCoalescer } from './coalescer.ts';
import { ENVELOPE_VERSION, readEnvelope, type Envelope, type IgnoredReason } from './envelope.ts';
import { PayloadError } from './errors.ts';
import {
  createLeaderElection,
  platformLocks,
  resolveLeaderElection,
  type LeaderElection,
  type LeaderElectionMode,
  type LockManagerLike,
} from './leader-election.ts';
import { estimatePayloadBytes, formatBytes } from './payload-size.ts';
import { createPresence, type Presence, type PresenceTable, type TabInfo } from './presence.ts';
import { LEADER_CHANGED, TAB_JOINED, TAB_LEFT } from './system-topics.ts';
import { warnOnce } from './warn-once.ts';

/** Where page lifecycle events (`pagehide`, `pageshow`, `visibilitychange`) are heard; `window`. */
export interface LifecycleTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** Options of {@link attachCrossTab}. */
export interface CrossTabOptions {
  /**
   * Name of the BroadcastChannel. Buses on different channels never hear each other.
   * @default 'switchboard'
   */
  channel?: string;
  /** Opens the channel; pass `createMemoryChannelHub().create` in unit tests. @default BroadcastChannel */
  channelFactory?: ChannelFactory;
  /**
   * Largest estimated size (payload plus meta, about its JSON length) of a message; a larger one
   * is refused at `publish` with a `PAYLOAD_TOO_LARGE` error.
   * @default 1048576 (1 MiB)
   */
  maxPayloadBytes?: number;
  /** Time source for heartbeats and timeouts. @default systemClock */
  clock?: Clock;
  /**
   * How often this tab says it is alive.
   * @default 1000
   */
  heartbeatMs?: number;
  /**
   * A visible tab not heard from for this long is gone (`$sys.tab.left`, reason `'timeout'`).
   * @default 5000
   */
  tabTimeoutMs?: number;
  /**
   * The same for a hidden tab, whose timers the browser may slow to one per minute.
   * @default 75000
   */
  hiddenTabTimeoutMs?: number;
  /**
   * `locks` uses Web Locks, `heartbeat` the oldest live tab, `auto` locks where available.
   * @default 'auto'
   */
  leaderElection?: LeaderElectionMode;
  /** Web Locks implementation. @default navigator.locks */
  locks?: LockManagerLike;
  /** Where `pagehide`/`pageshow`/`visibilitychange` are heard. @default window (when present) */
  lifecycle?: LifecycleTarget;
}

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
  const channelName = options.channel ?? 'switchboard';
  const clock = options.clock ?? systemClock;
  const maxPayloadBytes = positive(options.maxPayloadBytes, 1024 * 1024, 'maxPayloadBytes');
  const heartbeatMs = positive(options.heartbeatMs, 1000, 'heartbeatMs');
  const tabTimeoutMs = positive(options.tabTimeoutMs, 5000, 'tabTimeoutMs');
  const hiddenTabTimeoutMs = Math.max(tabTimeoutMs, positive(options.hiddenTabTimeoutMs, 75_000, 'hiddenTabTimeoutMs'));
  const locks = options.locks ?? platformLocks();
  const mode = resolveLeaderElection(options.leaderElection ?? 'auto', locks);
  const lifecycle = options.lifecycle ?? defaultLifecycle();
  const connected = options.channelFactory !== undefined || isSupported();
  const name = `cross-tab:${channelName}`;

  const counts = { posted: 0, sent: 0, received: 0, coalescedBatches: 0, droppedMessages: 0, postErrors: 0 };
  const ignored: Record<IgnoredReason, number> = { foreign: 0, malformed: 0, futureVersion: 0, duplicate: 0, own: 0 };
  const sizes = new WeakMap<Message, number>();
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

  const coalescer = createCoalescer({ post: postBatch, maxBytes: Math.max(maxPayloadBytes, 1024 * 1024) });

  function envelope(kind: Envelope['kind'], messages?: Message[]): Envelope {
    const hidden = (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === 'hidden';
    return {
      switchboard: ENVELOPE_VERSION,
      kind,
      from,
      tabId: link.tabId,
      app: link.app,
      seq: ++seq,
      since,
      leader: election?.holdsLock() ?? false,
      ttl: hidden ? hiddenTabTimeoutMs : tabTimeoutMs,
      ...(messages ? { messages } : {}),
    };
  }

  function post(kind: Envelope['kind'], messages?: Message[]): boolean {
    if (channel === undefined || closed) return false;
    try {
      channel.postMessage(envelope(kind, messages));
      counts.posted++;
      return true;
    } catch (error) {
      if (messages === undefined || messages.length === 1) {
        counts.postErrors++;
        const message = messages?.[0];
        link.reportError(message ? cloneError(message, error) : error, message ? { kind: 'adapter', adapter: name, message } : { kind: 'adapter', adapter: name });
      }
      return false;
    }
  }

  function postBatch(messages: Message[]): void {
    if (post('batch', messages)) {
      counts.sent += messages.length;
      if (messages.length > 1) counts.coalescedBatches++;
      return;
    }
    // A value the pre-check missed failed to clone: send the others, report the culprit.
    if (messages.length > 1) for (const message of messages) postBatch([message]);
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
    post('beat');
    presence.sweep();
    updateLeader();
  }

  function join(): void {
    frozen = false;
    since = clock.now();
    post('hello');
    election?.start();
    clock.clearTimeout(beatTimer);
    beatTimer = clock.setTimeout(beat, heartbeatMs);
  }

  function leave(): void {
    coalescer.flush();
    post('bye');
    clock.clearTimeout(beatTimer);
    election?.stop();
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
        post('beat');
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

  const onPageHide = (): void => {
    if (closed || frozen) return;
    // The page is unloading or entering the back/forward cache: say goodbye either way, so the
    // other tabs see it gone now and leadership moves on; `pageshow` brings it back.
    leave();
    frozen = true;
  };
  const onPageShow = (event: Event): void => {
    if (closed || !frozen || !(event as Event & { persisted?: boolean }).persisted) return;
    // Peers were frozen in time with this tab: give them a fresh timeout to answer the hello.
    presence.extend(tabTimeoutMs);
    join();
  };
  const onVisibilityChange = (): void => {
    // Announce the longer hidden timeout before the browser starts throttling this tab's timers.
    if (!closed && !frozen) post('beat');
  };

  function check(message: Message): void {
    const uncloneable = findUncloneable(message.payload) ?? findUncloneable(message.meta, 'meta');
    if (uncloneable !== undefined) {
      throw new PayloadError('NOT_CLONEABLE', message.topic, uncloneable,
        `publish('${message.topic}'): ${uncloneable} cannot be sent to other tabs; publish plain data (objects, arrays, strings, numbers, Dates, Maps…).`);
    }
    const bytes = estimatePayloadBytes(message.payload, maxPayloadBytes) + estimatePayloadBytes(message.meta, maxPayloadBytes);
    if (bytes > maxPayloadBytes) {
      const reason = `about ${formatBytes(bytes)} or more, limit ${formatBytes(maxPayloadBytes)}`;
      throw new PayloadError('PAYLOAD_TOO_LARGE', message.topic, reason,
        `publish('${message.topic}'): the payload is ${reason}; send an id and load the data where it is needed, or raise maxPayloadBytes.`);
    }
    sizes.set(message, bytes);
  }

  function disconnect(): void {
    if (closed) return;
    if (channel !== undefined && !frozen) leave();
    closed = true;
    clock.clearTimeout(beatTimer);
    election?.stop();
    channel?.removeEventListener('message', onMessage);
    channel?.close();
    lifecycle?.removeEventListener('pagehide', onPageHide);
    lifecycle?.removeEventListener('pageshow', onPageShow);
    lifecycle?.removeEventListener('visibilitychange', onVisibilityChange);
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
      if (!connected) {
        warnOnce('cross-tab-unsupported', `attachCrossTab(): BroadcastChannel is not available here, so messages stay in this tab; pass channelFactory to connect tabs another way.`);
        return;
      }
      channel = (options.channelFactory ?? openBroadcastChannel)(channelName);
      channel.addEventListener('message', onMessage);
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
          if (election?.holdsLock()) post('beat');
          updateLeader();
        },
        onError: (error) => link.reportError(error, { kind: 'adapter', adapter: name }),
      });
      lifecycle?.addEventListener('pagehide', onPageHide);
      lifecycle?.addEventListener('pageshow', onPageShow);
      lifecycle?.addEventListener('visibilitychange', onVisibilityChange);
      join();
    },
    check,
    onPublish(message) {
      if (message.topic === localTopic) {
        localTopic = undefined;
        return;
      }
      if (channel === undefined || closed) return;
      coalescer.push(message, sizes.get(message) ?? 0);
    },
    flush: () => crossTab.flush(),
    disconnect,
  };

  const detachFromBus = bus.attach(adapter);
  return crossTab;
}

function cloneError(message: Message, cause: unknown): SwitchboardError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PayloadError('NOT_CLONEABLE', message.topic, reason,
    `publish('${message.topic}'): the message could not be posted to other tabs (${reason}); publish plain data only.`, { cause });
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new SwitchboardError('INVALID_OPTION', `attachCrossTab(): options.${option} must be a positive number of ${option.endsWith('Bytes') ? 'bytes' : 'milliseconds'}, got ${String(value)}.`);
  }
  return value;
}

function defaultLifecycle(): LifecycleTarget | undefined {
  const target = globalThis as Partial<LifecycleTarget> & { document?: unknown };
  // Only in a page: Node has addEventListener on globalThis too, but no pagehide ever comes.
  return target.document !== undefined && typeof target.addEventListener === 'function' ? (target as LifecycleTarget) : undefined;
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += (byte % 36).toString(36);
  return id;
}
