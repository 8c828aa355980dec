import type { Clock } from '@switchboard/bus';
import type { Peer } from './presence.ts';

/**
 * The part of the Web Locks API (`navigator.locks`) that leader election uses; pass a fake as
 * `locks` in tests.
 */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<unknown>;
}

/** How tabs agree on a leader. */
export type LeaderElectionMode = 'auto' | 'locks' | 'heartbeat';

/** Options of {@link createLeaderElection}. */
export interface LeaderElectionOptions {
  /** `locks` or `heartbeat`; `auto` is resolved by {@link resolveLeaderElection} first. */
  readonly mode: 'locks' | 'heartbeat';
  readonly lockName: string;
  readonly locks: LockManagerLike | undefined;
  readonly tabId: string;
  readonly from: string;
  /** When this channel (re)joined; the oldest channel leads under heartbeat election. */
  since(): number;
  /**
   * Some shared channel of this tab holds the lock (this one, or one of bus copies with other
   * options): read from the tab's registry, never from envelopes.
   */
  tabHoldsLock(): boolean;
  readonly clock: Clock;
  /** Heartbeat election waits this long for answers before a lone tab takes the lead. */
  readonly settleMs: number;
  /** Something changed that may change the leader: re-read `leaderTabId()`. */
  onChange(): void;
  onError(error: unknown): void;
}

/** One shared channel's side of the election. */
export interface LeaderElection {
  readonly mode: 'locks' | 'heartbeat';
  /** Starts campaigning (again, after `stop`). */
  start(): void;
  /** Gives up leadership and stops campaigning. */
  stop(): void;
  /** This channel holds the Web Lock; its envelopes say `leader: true`. */
  holdsLock(): boolean;
  /** The leader's tab id given the live peers, or undefined while unknown. */
  leaderTabId(peers: readonly Peer[]): string | undefined;
}

/**
 * Picks the election for `mode`: `auto` uses Web Locks when `navigator.locks` (or the `locks`
 * option) is there, heartbeats otherwise.
 */
export function resolveLeaderElection(
  mode: LeaderElectionMode,
  locks: LockManagerLike | undefined,
): 'locks' | 'heartbeat' {
  if (mode !== 'auto') return mode;
  return locks !== undefined ? 'locks' : 'heartbeat';
}

/** `navigator.locks` when the platform has it; read lazily, never at module load. */
export function platformLocks(): LockManagerLike | undefined {
  const locks = (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks;
  return typeof (locks as LockManagerLike | undefined)?.request === 'function' ? (locks as LockManagerLike) : undefined;
}

/**
 * Creates the leader election of one tab's shared channel.
 *
 * - `locks`: every channel queues for one exclusive Web Lock; the browser grants it to one tab at
 *   a time and hands it on the moment that tab closes or crashes. The lock is the truth: a tab
 *   leads when it holds the lock, whatever envelopes say. The holder announces itself on the
 *   channel (`leader: true` in its envelopes) so the others know which tab leads; the latest claim
 *   wins, so a forged one is undone by the holder's next heartbeat.
 * - `heartbeat`: no lock, so every channel computes the same answer from presence: the oldest live
 *   channel (smallest `since`, then smallest sender id) leads. A leader that says goodbye is
 *   replaced once the goodbye is confirmed; one that crashes, when its heartbeats time out.
 */
export function createLeaderElection(options: LeaderElectionOptions): LeaderElection {
  let held = false;
  let release: (() => void) | undefined;
  let abort: AbortController | undefined;
  let settled = false;
  let settleTimer: unknown;

  function requestLock(): void {
    const locks = options.locks;
    if (locks === undefined) {
      options.onError(
        new Error(
          "leader election: mode 'locks' needs navigator.locks or the locks option; use leaderElection: 'heartbeat' where Web Locks are missing.",
        ),
      );
      return;
    }
    const controller = new AbortController();
    abort = controller;
    locks
      .request(options.lockName, { signal: controller.signal }, () => {
        if (controller.signal.aborted) return Promise.resolve();
        held = true;
        options.onChange();
        return new Promise<void>((resolve) => (release = resolve));
      })
      .then(undefined, (error: unknown) => {
        // stop() before the lock was granted aborts the request: expected, not a failure.
        if (controller.signal.aborted) return;
        options.onError(error);
      });
  }

  return {
    mode: options.mode,
    start() {
      if (options.mode === 'locks') {
        if (abort === undefined) requestLock();
        return;
      }
      settled = false;
      options.clock.clearTimeout(settleTimer);
      settleTimer = options.clock.setTimeout(() => {
        settled = true;
        options.onChange();
      }, options.settleMs);
    },
    stop() {
      options.clock.clearTimeout(settleTimer);
      settled = false;
      abort?.abort();
      abort = undefined;
      release?.();
      release = undefined;
      held = false;
    },
    holdsLock: () => held,
    leaderTabId(peers) {
      if (options.mode === 'locks') {
        if (held || options.tabHoldsLock()) return options.tabId;
        let claimant: Peer | undefined;
        for (const peer of peers) {
          // This tab's own lock state is known here; a claim in its name comes from elsewhere.
          if (!peer.leader || peer.tabId === options.tabId) continue;
          if (claimant === undefined || peer.lastSeen >= claimant.lastSeen) claimant = peer;
        }
        return claimant?.tabId;
      }
      const oldest = peers[0];
      const since = options.since();
      if (oldest === undefined) return settled ? options.tabId : undefined;
      const selfFirst = since < oldest.since || (since === oldest.since && options.from < oldest.from);
      return selfFirst && settled ? options.tabId : selfFirst ? undefined : oldest.tabId;
    },
  };
}
