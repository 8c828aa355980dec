import type { Envelope } from './envelope.ts';

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

/** One bus of another tab (or another bus copy in this tab), known from its envelopes. */
export interface Peer {
  readonly from: string;
  readonly tabId: string;
  readonly app: string;
  readonly since: number;
  leader: boolean;
  lastSeen: number;
  expiresAt: number;
  lastSeq: number;
}

/** Options of {@link createPresence}. */
export interface PresenceOptions {
  readonly tabId: string;
  readonly app: string;
  now(): number;
  leaderTabId(): string | undefined;
  onJoin(tab: { tabId: string; apps: string[] }): void;
  onLeave(tab: { tabId: string; reason: LeaveReason }): void;
  onError(error: unknown): void;
}

/** The table of peers behind {@link Presence}, with the bookkeeping cross-tab needs. */
export interface PresenceTable extends Presence {
  /**
   * Records an envelope from a peer. Returns false for a duplicate (a sequence number already
   * seen from that peer), which must then be ignored.
   */
  see(envelope: Envelope): boolean;
  /** Forgets a peer that said goodbye. */
  remove(from: string): void;
  /** Forgets peers whose time to live ran out; returns how many. */
  sweep(): number;
  /** Gives every known peer `ms` more to be heard from (after this tab was frozen in bfcache). */
  extend(ms: number): void;
  /** Live peers, oldest `since` first. */
  peers(): Peer[];
  /** Tells listeners that something they show (leadership) changed. */
  notify(): void;
  /** Forgets everything, without events. */
  clear(): void;
}

/**
 * Creates the presence table of one cross-tab adapter. Peers are buses; tabs are what users see:
 * a tab joins when its first bus is heard from and leaves when its last one is gone.
 */
export function createPresence(options: PresenceOptions): PresenceTable {
  const peers = new Map<string, Peer>();
  const listeners = new Set<(tabs: TabInfo[]) => void>();

  function tabOf(tabId: string): Peer[] {
    const found: Peer[] = [];
    for (const peer of peers.values()) if (peer.tabId === tabId) found.push(peer);
    return found;
  }

  function tabs(): TabInfo[] {
    const leader = options.leaderTabId();
    const own: TabInfo = {
      tabId: options.tabId,
      apps: [options.app],
      lastSeen: options.now(),
      leader: leader === options.tabId,
    };
    const byTab = new Map<string, TabInfo>([[options.tabId, own]]);
    for (const peer of peers.values()) {
      const tab = byTab.get(peer.tabId);
      if (tab === undefined) {
        byTab.set(peer.tabId, {
          tabId: peer.tabId,
          apps: [peer.app],
          lastSeen: peer.lastSeen,
          leader: leader === peer.tabId,
        });
        continue;
      }
      if (!tab.apps.includes(peer.app)) tab.apps.push(peer.app);
      if (tab !== own && peer.lastSeen > tab.lastSeen) byTab.set(peer.tabId, { ...tab, lastSeen: peer.lastSeen });
    }
    return [...byTab.values()];
  }

  function notify(): void {
    if (listeners.size === 0) return;
    const snapshot = tabs();
    for (const listener of [...listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        options.onError(error);
      }
    }
  }

  function drop(peer: Peer, reason: LeaveReason): void {
    peers.delete(peer.from);
    if (peer.tabId !== options.tabId && tabOf(peer.tabId).length === 0) {
      options.onLeave({ tabId: peer.tabId, reason });
    }
  }

  return {
    tabs,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    see(envelope) {
      const now = options.now();
      const known = peers.get(envelope.from);
      if (known !== undefined) {
        if (envelope.seq <= known.lastSeq) return false;
        known.lastSeq = envelope.seq;
        known.lastSeen = now;
        known.expiresAt = now + envelope.ttl;
        known.leader = envelope.leader;
        return true;
      }
      const newTab = envelope.tabId !== options.tabId && tabOf(envelope.tabId).length === 0;
      peers.set(envelope.from, {
        from: envelope.from,
        tabId: envelope.tabId,
        app: envelope.app,
        since: envelope.since,
        leader: envelope.leader,
        lastSeen: now,
        expiresAt: now + envelope.ttl,
        lastSeq: envelope.seq,
      });
      if (newTab) options.onJoin({ tabId: envelope.tabId, apps: tabOf(envelope.tabId).map((peer) => peer.app) });
      notify();
      return true;
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
