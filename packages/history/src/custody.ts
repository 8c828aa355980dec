import type { Clock, Message } from '@switchboard/bus';
import { sequenceOf, writerOf } from './writer-id.ts';

/** `$sys.history.hello`: a history writes this database and namespace (`reply`: an answer to one). */
const HELLO = '$sys.history.hello';
/** `$sys.history.committed`: these publish sequences of these writers are settled. */
const COMMITTED = '$sys.history.committed';
/** `$sys.history.bye`: a history stopped writing (detached). */
const BYE = '$sys.history.bye';
/** `$sys.history.claim`: a history takes custody of these messages of a departed writer and writes them now. */
const CLAIM = '$sys.history.claim';
/** Published by cross-tab when another tab closed, reloaded, went to the bfcache or went silent. */
const TAB_LEFT = '$sys.tab.left';

/**
 * A live writer that announced nothing (no commit notice) for this long while this tab holds its
 * messages is taken for stuck (a frozen tab): what is held of it is written here. A writer that is
 * merely slow keeps sending notices, so its backlog is never written twice.
 */
export const HOLD_LIMIT_MS = 60_000;
/** Messages of a bus not known to run a history here are held this long, then dropped. */
export const UNKNOWN_WRITER_MS = 10_000;
/** Custodian k (in the order of live writers) waits k times this before writing what is left. */
export const CUSTODY_STAGGER_MS = 1_000;
/** Most messages held at once; beyond it new ones are not held (reported once per episode). */
export const MAX_HELD = 200_000;
/** Departed writers remembered (a tab back from the bfcache keeps its writer id). */
const MAX_DEPARTED = 1_024;

/** `[writer, from, to]`: publish sequences `from..to` of `writer` are settled. */
type SettledRange = [writer: string, from: number, to: number];

/** Payload of {@link HELLO} and {@link BYE}. */
interface HistoryHello {
  readonly db: string;
  readonly ns: string;
  readonly reply?: true;
}

/** Payload of {@link COMMITTED} and {@link CLAIM}. */
interface HistoryCommitted {
  readonly db: string;
  readonly ns: string;
  readonly settled: SettledRange[];
}

/** Options of {@link createCustody}. */
export interface CustodyOptions {
  readonly db: string;
  readonly ns: string;
  readonly clock: Clock;
  /** Publishes a `$sys.history.` event from this tab (to every tab); returns the message. */
  readonly publish: (topic: string, payload: HistoryHello | HistoryCommitted) => Message | undefined;
  /** Queues messages whose writer went away, to be written by this history. */
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

interface WriterState {
  readonly id: string;
  tabId: string;
  /** It announced itself (hello or notice) for this database and namespace. */
  known: boolean;
  departed: boolean;
  /** Its messages received and not settled yet, in publish order. */
  held: Message[];
  /** Parts of `held` another history claimed (it writes them now): `[claimer, from, to]`. */
  claims: SettledRange[];
  /** When it last showed progress (a notice or a hello), on the history's clock. */
  lastProgress: number;
}

/** The well-formed ranges of a notice's payload (another tab's envelope: checked, never trusted). */
function rangesIn(payload: unknown): SettledRange[] {
  const settled = (payload as Partial<HistoryCommitted>).settled;
  if (!Array.isArray(settled)) return [];
  return settled.filter(
    (range): range is SettledRange =>
      Array.isArray(range) &&
      typeof range[0] === 'string' &&
      Number.isSafeInteger(range[1]) &&
      Number.isSafeInteger(range[2]),
  );
}

/** Creates the custody of one history. */
export function createCustody(options: CustodyOptions): Custody {
  const { db, ns, clock, log } = options;
  const writers = new Map<string, WriterState>();
  const timers = new Set<unknown>();
  let self: string | undefined;
  let heldCount = 0;
  let lastSweep = -Infinity;
  // Messages not held because MAX_HELD was reached, in the current overflow episode.
  let skipped = 0;

  function publish(topic: string, payload: HistoryHello | HistoryCommitted): void {
    const sent = options.publish(topic, payload);
    if (sent !== undefined) self ??= writerOf(sent.id);
  }

  function writer(id: string, tabId: string): WriterState {
    let state = writers.get(id);
    if (state === undefined) {
      state = { id, tabId, known: false, departed: false, held: [], claims: [], lastProgress: clock.now() };
      writers.set(id, state);
    }
    return state;
  }

  function release(state: WriterState, keep: (message: Message) => boolean): void {
    const before = state.held.length;
    state.held = state.held.filter(keep);
    heldCount -= before - state.held.length;
  }

  /** True for a held message that a live history claimed. */
  function claimed(state: WriterState, message: Message): boolean {
    if (state.claims.length === 0) return false;
    const seq = sequenceOf(message.id);
    return state.claims.some(([, from, to]) => seq >= from && seq <= to);
  }

  /**
   * Writes, as custodian, the messages of `state` that `take` selects and no live history claimed:
   * claims them first (the other tabs then wait for the commit notice, however long the write
   * takes), then queues them.
   */
  function rescue(state: WriterState, reason: string, take: (message: Message) => boolean = () => true): void {
    const messages = state.held.filter((message) => take(message) && !claimed(state, message));
    if (messages.length === 0) return;
    const taken = new Set(messages);
    release(state, (message) => !taken.has(message));
    log(`custody of ${messages.length} message(s) of writer ${state.id} (tab ${state.tabId}): ${reason}`);
    publish(CLAIM, { db, ns, settled: rangesOf(messages) });
    options.write(messages);
  }

  /** The order in which live writers take custody; every tab computes the same one. */
  function custodians(): string[] {
    const live = [...writers.values()].filter((state) => state.known && !state.departed).map((state) => state.id);
    return (self === undefined ? live : [...live, self]).sort();
  }

  /** Arranges custody of a departed writer's unclaimed messages: now if this history is first in line, else later. */
  function arrange(state: WriterState): void {
    if (state.held.length === 0) return;
    const order = custodians();
    const rank = self === undefined ? order.length : order.indexOf(self);
    if (rank === 0) {
      rescue(state, 'its tab left');
      return;
    }
    // Later in line: the first custodian's claim normally arrives long before this fires, and
    // then only what it did not hold is left to write.
    const timer = clock.setTimeout(() => {
      timers.delete(timer);
      rescue(state, `its tab left, and no custodian before this one claimed them in ${rank * CUSTODY_STAGGER_MS} ms`);
    }, rank * CUSTODY_STAGGER_MS);
    timers.add(timer);
  }

  function depart(tabId: string): void {
    const gone = new Set<string>();
    for (const state of writers.values()) {
      if (state.tabId !== tabId || state.departed) continue;
      state.departed = true;
      gone.add(state.id);
    }
    for (const state of writers.values()) {
      if (gone.has(state.id)) {
        if (state.known) arrange(state);
        else release(state, () => false);
        continue;
      }
      // A custodian that left before its commit notice: its claims no longer hold.
      const before = state.claims.length;
      state.claims = state.claims.filter(([claimer]) => !gone.has(claimer));
      if (state.departed && state.claims.length < before) arrange(state);
    }
    forgetDeparted();
  }

  function forgetDeparted(): void {
    let excess = writers.size - MAX_DEPARTED;
    for (const [id, state] of writers) {
      if (excess <= 0) return;
      if (state.departed && state.held.length === 0) {
        writers.delete(id);
        excess--;
      }
    }
  }

  /** Drops messages of buses that never announced a history; writes those of stuck writers. */
  function sweep(now: number): void {
    if (now - lastSweep < 1_000) return;
    lastSweep = now;
    for (const state of writers.values()) {
      const oldest = state.held[0];
      if (oldest === undefined) continue;
      if (!state.known && oldest.ts < now - UNKNOWN_WRITER_MS) {
        release(state, (message) => message.ts >= now - UNKNOWN_WRITER_MS);
      } else if (state.known && now - state.lastProgress > HOLD_LIMIT_MS) {
        // Claims included: a claimer that has not committed in this long is not coming back to it.
        state.claims = [];
        state.lastProgress = now;
        rescue(state, `its tab announced nothing for ${HOLD_LIMIT_MS} ms`);
      }
    }
  }

  /** `[writer, lowest, highest]` publish sequence of `messages`, per writer. */
  function rangesOf(messages: readonly Message[]): SettledRange[] {
    const ranges = new Map<string, SettledRange>();
    for (const message of messages) {
      const id = writerOf(message.id);
      const seq = sequenceOf(message.id);
      const range = ranges.get(id);
      if (range === undefined) {
        ranges.set(id, [id, seq, seq]);
      } else {
        range[1] = Math.min(range[1], seq);
        range[2] = Math.max(range[2], seq);
      }
    }
    return [...ranges.values()];
  }

  function ours(payload: unknown): payload is HistoryHello {
    return (
      typeof payload === 'object' &&
      payload !== null &&
      (payload as HistoryHello).db === db &&
      (payload as HistoryHello).ns === ns
    );
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
      state.departed = false;
      if (heldCount >= (options.maxHeld ?? MAX_HELD)) {
        if (skipped++ === 0) options.overflow();
      } else {
        if (skipped > 0) {
          log(`custody holds messages again; ${skipped} were not held`);
          skipped = 0;
        }
        state.held.push(message);
        heldCount++;
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
      if (sender === self || !ours(message.payload)) return;
      const state = writer(sender, message.origin.tabId);
      state.lastProgress = clock.now();
      switch (message.topic) {
        case HELLO:
          state.known = true;
          state.departed = false;
          if (!message.payload.reply) publish(HELLO, { db, ns, reply: true });
          break;
        case COMMITTED:
        case CLAIM: {
          state.known = true;
          for (const [id, from, to] of rangesIn(message.payload)) {
            const target = writers.get(id);
            if (target === undefined) continue;
            if (message.topic === CLAIM) {
              target.claims.push([sender, from, to]);
              continue;
            }
            release(target, (held) => {
              const seq = sequenceOf(held.id);
              return seq < from || seq > to;
            });
            target.claims = target.claims.filter(([claimer, f, t]) => claimer !== sender || f < from || t > to);
          }
          break;
        }
        case BYE:
          // Everything it wrote was announced before this; what it holds now it never meant to store.
          state.known = false;
          release(state, () => false);
          break;
      }
      sweep(clock.now());
    },
    committed(batch) {
      if (batch.length === 0) return;
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
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
