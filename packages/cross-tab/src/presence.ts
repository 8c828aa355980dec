import type { Envelope } from './envelope.ts';
import { commit } from './goodbye-proof.ts';

/** One live tab as presence sees it. */
export interface TabInfo {
  readonly tabId: string;
  /** The apps with a bus attached to cross-tab in that tab, in the order they were seen. */
  readonly apps: string[];
  /** When something was last heard from the tab (ms since epoch; now, for this tab). */
  readonly lastSeen: number;
  /** The tab is the current leader. */
  readonly leader: boolean;
}

/**
 * The `'presence'` service that cross-tab provides to the bus's other adapters (RPC uses it to
 * fail fast when the target tab is gone).
 *
 * @example
 * import type { Presence } from '@switchboard/cross-tab';
 * const presence = link.lookup<Presence>('presence');
 * const off = presence?.onChange((tabs) => console.log(tabs.length, 'tabs'));
 */
export interface Presence {
  /** Live tabs, this one first. */
  tabs(): TabInfo[];
  /** Calls `listener` with the new list whenever a tab joins, leaves, changes apps or leadership. */
  onChange(listener: (tabs: TabInfo[]) => void): () => void;
}

/** Why a tab left: it said goodbye (closed, reloaded, went to bfcache) or went silent. */
export type LeaveReason = 'closed' | 'timeout';

/** The shared channel of another tab (or of another set of bus copies in this tab), known from its envelopes. */
export interface Peer {
  readonly from: string;
  readonly tabId: string;
  apps: readonly string[];
  since: number;
  leader: boolean;
  lastSeen: number;
  expiresAt: number;
  /** The highest sequence number of the sender's confirmed line of envelopes. */
  lastSeq: number;
  /** A sequence number past a gap, accepted but not yet confirmed by its successor (-1: none). */
  aheadSeq: number;
  /** Kind and first message id of the last envelope: a repeat of both is a replay. */
  lastMark: string;
  /**
   * The last two commitments to its goodbye secret: one forged heartbeat cannot push out the
   * real one.
   */
  commitments: string[];
}

/** What {@link PresenceTable.see} made of an envelope. */
export type Sighting = 'joined' | 'seen' | 'duplicate';

/** Options of {@link createPresence}. */
export interface PresenceOptions {
  readonly tabId: string;
  /** This tab's apps (every bus sharing the channel). */
  apps(): readonly string[];
  now(): number;
  /** Bounds of how long a peer is kept after its last envelope, whatever its `ttl` says. */
  readonly minTtl: number;
  readonly maxTtl: number;
  leaderTabId(): string | undefined;
  onJoin(tab: { tabId: string; apps: string[] }): void;
  onLeave(tab: { tabId: string; reason: LeaveReason }): void;
}

/** The table of peers behind {@link Presence}, with the bookkeeping cross-tab needs. */
export interface PresenceTable {
  tabs(): TabInfo[];
  /**
   * Records an envelope. A sender's sequence numbers rise by one per envelope; a repeat or an
   * older one is a `duplicate`. A jump ahead is accepted but only confirmed by its successor, so
   * one forged envelope with a huge sequence number cannot make the sender's real envelopes look
   * old.
   */
  see(envelope: Envelope): Sighting;
  /**
   * True when `bye` comes from a known peer and reveals the secret of one of its commitments: only
   * the peer itself can say goodbye in its name.
   */
  isGenuineGoodbye(bye: Envelope): boolean;
  /** Forgets a peer that said goodbye. */
  remove(from: string): void;
  /** Forgets peers whose time to live ran out; returns how many. */
  sweep(): number;
  /** Gives every known peer `ms` more to be heard from (after this tab was frozen in bfcache). */
  extend(ms: number): void;
  /** Live peers, oldest `since` first. */
  peers(): Peer[];
  /** Calls `listener` after each change. */
  onChange(listener: (tabs: TabInfo[]) => void): () => void;
  /** Tells listeners that something they show changed (leadership, this tab's apps). */
  notify(): void;
  /** Forgets everything, without events. */
  clear(): void;
}

/**
 * Creates the presence table of a tab's shared channel. Peers are the channels of other tabs;
 * tabs are what users see: a tab joins when its first peer is heard from and leaves when its last
 * one is gone.
 */
export function createPresence(options: PresenceOptions): PresenceTable {
  const peers = new Map<string, Peer>();
  const listeners = new Set<(tabs: TabInfo[]) => void>();

  function appsOf(tabId: string): string[] {
    const apps: string[] = [];
    for (const peer of peers.values()) {
      if (peer.tabId !== tabId) continue;
      for (const app of peer.apps) if (!apps.includes(app)) apps.push(app);
    }
    return apps;
  }

  function hasTab(tabId: string): boolean {
    for (const peer of peers.values()) if (peer.tabId === tabId) return true;
    return false;
  }

  function tabs(): TabInfo[] {
    const leader = options.leaderTabId();
    const own: TabInfo = {
      tabId: options.tabId,
      apps: [...options.apps()],
      lastSeen: options.now(),
      leader: leader === options.tabId,
    };
    const byTab = new Map<string, TabInfo>([[options.tabId, own]]);
    for (const peer of peers.values()) {
      const tab = byTab.get(peer.tabId);
      if (tab === undefined) {
        byTab.set(peer.tabId, {
          tabId: peer.tabId,
          apps: [...peer.apps],
          lastSeen: peer.lastSeen,
          leader: leader === peer.tabId,
        });
        continue;
      }
      for (const app of peer.apps) if (!tab.apps.includes(app)) tab.apps.push(app);
      if (tab !== own && peer.lastSeen > tab.lastSeen) byTab.set(peer.tabId, { ...tab, lastSeen: peer.lastSeen });
    }
    return [...byTab.values()];
  }

  function notify(): void {
    if (listeners.size === 0) return;
    const snapshot = tabs();
    for (const listener of [...listeners]) listener(snapshot);
  }

  function drop(peer: Peer, reason: LeaveReason): void {
    peers.delete(peer.from);
    if (peer.tabId !== options.tabId && !hasTab(peer.tabId)) options.onLeave({ tabId: peer.tabId, reason });
  }

  function expiry(now: number, ttl: number): number {
    return now + Math.min(Math.max(ttl, options.minTtl), options.maxTtl);
  }

  /** Applies the sequence rules; true when the envelope is new. */
  function advance(peer: Peer, envelope: Envelope, mark: string): boolean {
    const { seq } = envelope;
    if (seq === peer.lastSeq + 1 || (peer.aheadSeq >= 0 && seq === peer.aheadSeq + 1)) {
      // The confirmed line goes on (a jump ahead without successor was not the sender's), or a
      // jump's successor came and makes it the line (this tab was frozen while the sender went on).
      peer.lastSeq = seq;
      peer.aheadSeq = -1;
    } else if (seq > peer.lastSeq + 1 && seq !== peer.aheadSeq) {
      peer.aheadSeq = seq;
    } else if (seq !== peer.lastSeq || mark === peer.lastMark) {
      return false;
    }
    // Else the same number as the last envelope with other contents: one of the two was forged
    // and nothing tells which, so the real one must not be dropped.
    peer.lastMark = mark;
    return true;
  }

  return {
    tabs,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    see(envelope) {
      const now = options.now();
      const mark = envelope.kind + (envelope.firstId ?? '');
      const known = peers.get(envelope.from);
      if (known === undefined) {
        const joined = envelope.tabId !== options.tabId && !hasTab(envelope.tabId);
        peers.set(envelope.from, {
          from: envelope.from,
          tabId: envelope.tabId,
          apps: envelope.apps,
          since: envelope.since,
          leader: envelope.leader,
          lastSeen: now,
          expiresAt: expiry(now, envelope.ttl),
          lastSeq: envelope.seq,
          aheadSeq: -1,
          lastMark: mark,
          commitments: envelope.proof === '' ? [] : [envelope.proof],
        });
        if (joined) options.onJoin({ tabId: envelope.tabId, apps: appsOf(envelope.tabId) });
        notify();
        return joined ? 'joined' : 'seen';
      }
      if (!advance(known, envelope, mark)) return 'duplicate';
      // Every field comes from the latest envelope, so a forged one is undone by the next real one.
      const appsChanged =
        known.apps.length !== envelope.apps.length || known.apps.some((a, i) => a !== envelope.apps[i]);
      known.apps = envelope.apps;
      known.since = envelope.since;
      known.leader = envelope.leader;
      known.lastSeen = now;
      known.expiresAt = expiry(now, envelope.ttl);
      const { proof } = envelope;
      if (envelope.kind !== 'bye' && proof !== '' && proof !== known.commitments[0]) {
        known.commitments = [proof, ...known.commitments.slice(0, 1)];
      }
      if (appsChanged) notify();
      return 'seen';
    },
    isGenuineGoodbye(bye) {
      const peer = peers.get(bye.from);
      return peer !== undefined && bye.proof !== '' && peer.commitments.includes(commit(bye.proof));
    },
    remove(from) {
      const peer = peers.get(from);
      if (peer === undefined) return;
      drop(peer, 'closed');
      notify();
    },
    sweep() {
      const now = options.now();
      let removed = 0;
      for (const peer of [...peers.values()]) {
        if (peer.expiresAt > now) continue;
        drop(peer, 'timeout');
        removed++;
      }
      if (removed > 0) notify();
      return removed;
    },
    extend(ms) {
      const until = options.now() + ms;
      for (const peer of peers.values()) peer.expiresAt = Math.max(peer.expiresAt, until);
    },
    peers() {
      return [...peers.values()].sort((a, b) => a.since - b.since || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    },
    notify,
    clear() {
      peers.clear();
    },
  };
}
