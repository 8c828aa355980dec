import type { Clock, Message } from '@switchboard/bus';
import {
  BYE,
  CLAIM,
  COMMITTED,
  HELLO,
  isAbout,
  rangesIn,
  rangesOf,
  TAB_LEFT,
  writersIn,
  type HistoryCommitted,
  type HistoryHello,
  type SettledRange,
} from './custody-notices.ts';
import { findStalled, stallBound } from './custody-stall.ts';
import { isAbandoned, isClaimed, newWriterState, type WriterState } from './custody-writer.ts';
import { sequenceOf, writerOf } from './writer-id.ts';

/** Messages of a bus not known to run a history here are held this long, then dropped. */
export const UNKNOWN_WRITER_MS = 10_000;
/** Most messages held at once; beyond it new ones are not held (reported once per episode). */
export const MAX_HELD = 200_000;
/** Departed writers remembered (a tab back from the bfcache keeps its writer id). */
const MAX_DEPARTED = 1_024;
/** Least time between two sweeps for stalled and unknown writers. */
const SWEEP_MS = 1_000;

/** Options of {@link createCustody}. */
export interface CustodyOptions {
  readonly db: string;
  readonly ns: string;
  readonly clock: Clock;
  /** Publishes a `$sys.history.` event from this tab (to every tab); returns the message. */
  readonly publish: (topic: string, payload: HistoryHello | HistoryCommitted) => Message | undefined;
  /** Queues messages whose writer went away, to be written by this history if not stored yet. */
  readonly write: (messages: Message[]) => void;
  readonly log: (text: string) => void;
  /** Most messages held at once. @default MAX_HELD */
  readonly maxHeld?: number;
  /** The hold is full: messages from other tabs are not held until it drains (a degradation to report). */
  readonly overflow: () => void;
}

/** Custody of other tabs' messages (docs/history-design.md, "Custody"). */
export interface Custody {
  /** Announces this history as a writer; call once attached. */
  hello(): void;
  /** Says this history stops writing; call after its last commit. */
  bye(): void;
  /** Holds a storable message that arrived from another tab until its writer settles it. */
  hold(message: Message): void;
  /** Handles a `$sys.history.` event from another tab, or `$sys.tab.left`. */
  onSystem(message: Message): void;
  /** Tells the other tabs that this batch is stored. */
  committed(batch: readonly Message[]): void;
  /** Messages held now, oldest writer first, in publish order per writer. */
  unsettled(): Message[];
  /** Number of messages held. */
  readonly held: number;
  /** Cancels pending custody timers. */
  stop(): void;
}

/** Creates the custody of one history. */
export function createCustody(options: CustodyOptions): Custody {
  const { db, ns, clock, log } = options;
  const writers = new Map<string, WriterState>();
  let self: string | undefined;
  let heldCount = 0;
  // Commit notices seen, of every writer: the measure of how far the database got meanwhile.
  let commits = 0;
  let lastSweep = -Infinity;
  // Sweeps while anything is held, so a stalled writer is noticed without other traffic.
  let ticking: unknown;
  // Messages not held because MAX_HELD was reached, in the current overflow episode.
  let skipped = 0;

  function publish(topic: string, payload: HistoryHello | HistoryCommitted): void {
    const sent = options.publish(topic, payload);
    if (sent !== undefined) self ??= writerOf(sent.id);
  }

  function writer(id: string, tabId: string): WriterState {
    let state = writers.get(id);
    if (state === undefined) {
      state = newWriterState(id, tabId, clock.now(), commits);
      writers.set(id, state);
    }
    return state;
  }

  function release(state: WriterState, keep: (message: Message) => boolean): void {
    const before = state.held.length;
    state.held = state.held.filter(keep);
    heldCount -= before - state.held.length;
  }

  function cancel(state: WriterState): void {
    if (state.timer === undefined) return;
    clock.clearTimeout(state.timer);
    state.timer = undefined;
  }

  /** `state` showed progress now (a notice, a claim, a hello). */
  function progressed(state: WriterState, now: number): void {
    if (state.held.length > 0) state.longestWait = Math.max(state.longestWait, now - state.waitingSince);
    state.waitingSince = now;
    state.commitsAtWait = commits;
    state.lastNotice = now;
    if (state.stalled) {
      state.stalled = false;
      state.answered.clear();
      cancel(state);
    }
  }

  /**
   * Takes custody of `state`: claims the held messages no live history claimed (the other tabs
   * then wait for the commit notice, however long the write takes), says it answered for the
   * writer even when nothing is left, and queues them.
   */
  function take(state: WriterState, reason: string): void {
    cancel(state);
    const messages = state.held.filter((message) => !isClaimed(state, message));
    const taken = new Set(messages);
    release(state, (message) => !taken.has(message));
    if (messages.length > 0) {
      log(`custody of ${messages.length} message(s) of writer ${state.id} (tab ${state.tabId}): ${reason}`);
    }
    if (self !== undefined) state.answered.add(self);
    publish(CLAIM, { db, ns, settled: rangesOf(messages), writers: [state.id] });
    if (messages.length > 0) options.write(messages);
  }

  /** The order in which live writers take custody; every tab computes the same one. */
  function custodians(): string[] {
    const live = [...writers.values()].filter((state) => state.known && !isAbandoned(state)).map((state) => state.id);
    return (self === undefined ? live : [...live, self]).sort();
  }

  /**
   * Arranges custody of a departed or stalled writer: this history takes it once every live
   * custodian ahead of it in line answered (the first takes it at once), and writes only what
   * their claims left. One ahead that does not answer (it never knew the writer, or it is slow)
   * is waited for as long as it may go without progress before it counts as stalled.
   */
  function arrange(state: WriterState, reason: string): void {
    cancel(state);
    if (!isAbandoned(state)) return;
    const order = custodians();
    const rank = self === undefined ? order.length : order.indexOf(self);
    // Answered already, and no claim it waited on fell through since: nothing to do.
    if (state.held.length === 0 && self !== undefined && state.answered.has(self)) return;
    const silent = order.slice(0, rank).filter((id) => !state.answered.has(id));
    if (silent.length === 0) {
      take(state, reason);
      return;
    }
    if (state.held.length === 0) return;
    const wait = Math.max(...silent.map((id) => stallBound(writers.get(id)?.longestWait ?? 0)));
    state.timer = clock.setTimeout(() => {
      state.timer = undefined;
      take(state, `${reason}, and ${silent.join(', ')} ahead of this history did not answer in ${wait} ms`);
    }, wait);
  }

  /** Re-arranges every writer in custody (the line of custodians changed). */
  function rearrange(reason: string): void {
    for (const state of writers.values()) if (isAbandoned(state)) arrange(state, reason);
  }

  /** Forgets what `gone` claimed and answered: those parts are left to the others again. */
  function dropClaimsOf(gone: ReadonlySet<string>): void {
    for (const state of writers.values()) {
      state.claims = state.claims.filter(([claimer]) => !gone.has(claimer));
      for (const id of gone) state.answered.delete(id);
    }
  }

  function depart(tabId: string): void {
    const gone = new Set<string>();
    for (const state of writers.values()) {
      if (state.tabId !== tabId || state.departed) continue;
      state.departed = true;
      gone.add(state.id);
      if (!state.known) release(state, () => false);
    }
    if (gone.size === 0) return;
    // A custodian that left before its commit notice: its claims no longer hold.
    dropClaimsOf(gone);
    rearrange('its tab left');
    forgetDeparted();
  }

  function forgetDeparted(): void {
    let excess = writers.size - MAX_DEPARTED;
    for (const [id, state] of writers) {
      if (excess <= 0) return;
      if (state.departed && state.held.length === 0) {
        cancel(state);
        writers.delete(id);
        excess--;
      }
    }
  }

  /** Drops messages of buses that never announced a history; takes custody of stalled writers and claimers. */
  function sweep(now: number): void {
    if (now - lastSweep < SWEEP_MS) return;
    lastSweep = now;
    const stalled = findStalled(writers.values(), now, commits, custodians().length);
    if (stalled.size > 0) {
      for (const id of stalled) writers.get(id)!.stalled = true;
      dropClaimsOf(stalled);
      rearrange('its tab made no progress for longer than it ever did');
    }
    for (const state of writers.values()) {
      // A stalled writer that still publishes: what it published since is taken the same way.
      if (state.stalled && state.held.length > 0 && state.timer === undefined)
        arrange(state, 'its tab still makes no progress');
      const oldest = state.held[0];
      if (!state.known && oldest !== undefined && oldest.ts < now - UNKNOWN_WRITER_MS) {
        release(state, (message) => message.ts >= now - UNKNOWN_WRITER_MS);
      }
    }
  }

  function tick(): void {
    if (ticking !== undefined || heldCount === 0) return;
    ticking = clock.setTimeout(() => {
      ticking = undefined;
      sweep(clock.now());
      tick();
    }, SWEEP_MS);
  }

  /** A commit notice or claim of `sender`. */
  function settle(sender: string, payload: unknown, claim: boolean): void {
    if (!claim) commits++;
    for (const [id, from, to] of rangesIn(payload)) {
      const target = writers.get(id);
      if (target === undefined) continue;
      if (claim) {
        target.claims.push([sender, from, to]);
        continue;
      }
      // Its own messages are written in publish order: a notice says how far it has got.
      if (id === sender && from === 0) target.committedTo = Math.max(target.committedTo, to);
      release(target, (held) => {
        const seq = sequenceOf(held.id);
        return seq < from || seq > to;
      });
      target.claims = target.claims.filter(([claimer, f, t]) => claimer !== sender || f < from || t > to);
    }
    if (!claim) return;
    for (const id of writersIn(payload)) {
      const target = writers.get(id);
      if (target === undefined || target.answered.has(sender)) continue;
      target.answered.add(sender);
      // Waiting on it, or owing an answer to those behind: see whether this history's turn came.
      if (isAbandoned(target) && (target.timer !== undefined || (self !== undefined && !target.answered.has(self)))) {
        arrange(target, 'its tab left or stalled');
      }
    }
  }

  return {
    hello() {
      publish(HELLO, { db, ns });
    },
    bye() {
      publish(BYE, { db, ns });
    },
    hold(message) {
      const id = writerOf(message.id);
      if (id === self) return;
      const state = writer(id, message.origin.tabId);
      // A tab back from the bfcache keeps its writer id: hold its messages again.
      if (state.departed) {
        state.departed = false;
        state.answered.clear();
        cancel(state);
      }
      if (sequenceOf(message.id) <= state.committedTo) return;
      if (heldCount >= (options.maxHeld ?? MAX_HELD)) {
        if (skipped++ === 0) options.overflow();
      } else {
        if (skipped > 0) {
          log(`custody holds messages again; ${skipped} were not held`);
          skipped = 0;
        }
        if (state.held.length === 0) {
          state.waitingSince = clock.now();
          state.commitsAtWait = commits;
        }
        state.held.push(message);
        heldCount++;
        tick();
      }
      sweep(clock.now());
    },
    onSystem(message) {
      if (message.topic === TAB_LEFT) {
        const { tabId } = message.payload as { tabId?: unknown };
        if (typeof tabId === 'string') depart(tabId);
        return;
      }
      const sender = writerOf(message.id);
      if (sender === self || !isAbout(message.payload, db, ns)) return;
      const state = writer(sender, message.origin.tabId);
      const now = clock.now();
      const joined = !state.known || state.departed;
      progressed(state, now);
      switch (message.topic) {
        case HELLO:
          state.known = true;
          state.departed = false;
          if (!message.payload.reply) publish(HELLO, { db, ns, reply: true });
          break;
        case COMMITTED:
        case CLAIM:
          state.known = true;
          settle(sender, message.payload, message.topic === CLAIM);
          break;
        case BYE:
          // Everything it wrote was announced before this; what it holds now it never meant to store.
          state.known = false;
          release(state, () => false);
          dropClaimsOf(new Set([sender]));
          rearrange('its history stopped writing');
          break;
      }
      // A new custodian in line: the order changed for writers in custody.
      if (joined && state.known) rearrange('the line of custodians changed');
      sweep(now);
    },
    committed(batch) {
      if (batch.length === 0) return;
      commits++;
      // This history's own messages are written in publish order: everything up to the last is settled.
      const settled = rangesOf(batch).map(([id, from, to]): SettledRange => [id, id === self ? 0 : from, to]);
      publish(COMMITTED, { db, ns, settled });
    },
    unsettled() {
      const found: Message[] = [];
      for (const state of writers.values()) found.push(...state.held);
      return found;
    },
    get held() {
      return heldCount;
    },
    stop() {
      if (ticking !== undefined) clock.clearTimeout(ticking);
      ticking = undefined;
      for (const state of writers.values()) cancel(state);
    },
  };
}
