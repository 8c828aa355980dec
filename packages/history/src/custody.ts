import type { Clock, Message } from '@switchboard/bus';
import { sequenceOf, writerOf } from './writer-id.ts';

/** `$sys.history.hello`: a history writes this database and namespace (`reply`: an answer to one). */
export const HELLO = '$sys.history.hello';
/** `$sys.history.committed`: these publish sequences of these writers are settled. */
export const COMMITTED = '$sys.history.committed';
/** `$sys.history.bye`: a history stopped writing (detached). */
export const BYE = '$sys.history.bye';
/** Published by cross-tab when another tab closed, reloaded, went to the bfcache or went silent. */
const TAB_LEFT = '$sys.tab.left';

/** A writer's messages not known to be stored are held this long at most before being written here. */
export const HOLD_LIMIT_MS = 60_000;
/** Messages of a bus not known to run a history here are held this long, then dropped. */
export const UNKNOWN_WRITER_MS = 10_000;
/** Custodian k (in the order of live writers) waits k times this before writing what is left. */
export const CUSTODY_STAGGER_MS = 250;
/** Beyond this many held messages, the oldest writer's are written here at once. */
export const MAX_HELD = 100_000;
/** Departed writers remembered (a tab back from the bfcache keeps its writer id). */
const MAX_DEPARTED = 1_024;

/** `[writer, from, to]`: publish sequences `from..to` of `writer` are settled. */
export type SettledRange = [writer: string, from: number, to: number];

/** Payload of {@link HELLO} and {@link BYE}. */
export interface HistoryHello {
  readonly db: string;
  readonly ns: string;
  readonly reply?: true;
}

/** Payload of {@link COMMITTED}. */
export interface HistoryCommitted {
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
}

/** Creates the custody of one history. */
export function createCustody(options: CustodyOptions): Custody {
  const { db, ns, clock, log } = options;
  const writers = new Map<string, WriterState>();
  const timers = new Set<unknown>();
  let self: string | undefined;
  let heldCount = 0;
  let lastSweep = -Infinity;

  function publish(topic: string, payload: HistoryHello | HistoryCommitted): void {
    const sent = options.publish(topic, payload);
    if (sent !== undefined) self ??= writerOf(sent.id);
  }

  function writer(id: string, tabId: string): WriterState {
    let state = writers.get(id);
    if (state === undefined) {
      state = { id, tabId, known: false, departed: false, held: [] };
      writers.set(id, state);
    }
    return state;
  }

  function release(state: WriterState, keep: (message: Message) => boolean): void {
    const before = state.held.length;
    state.held = state.held.filter(keep);
    heldCount -= before - state.held.length;
  }

  /** Writes what `state` still holds, as its custodian. */
  function rescue(state: WriterState, reason: string): void {
    if (state.held.length === 0) return;
    const messages = state.held;
    state.held = [];
    heldCount -= messages.length;
    log(`custody of ${messages.length} message(s) of writer ${state.id} (tab ${state.tabId}): ${reason}`);
    options.write(messages);
  }

  function depart(tabId: string): void {
    const live = [...writers.values()].filter((state) => state.known && !state.departed && state.tabId !== tabId);
    // Every surviving writer computes the same order; the first writes now, the others later and
    // only what no custody notice covered meanwhile.
    const order = [...live.map((state) => state.id), ...(self === undefined ? [] : [self])].sort();
    const rank = self === undefined ? order.length : order.indexOf(self);
    for (const state of writers.values()) {
      if (state.tabId !== tabId || state.departed) continue;
      state.departed = true;
      if (!state.known) {
        release(state, () => false);
        continue;
      }
      if (rank === 0) {
        rescue(state, 'its tab left');
        continue;
      }
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        rescue(state, `its tab left, and no custodian before this one wrote them in ${rank * CUSTODY_STAGGER_MS} ms`);
      }, rank * CUSTODY_STAGGER_MS);
      timers.add(timer);
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
    if (now - lastSweep < 1_000 && heldCount <= MAX_HELD) return;
    lastSweep = now;
    let largest: WriterState | undefined;
    for (const state of writers.values()) {
      const oldest = state.held[0];
      if (oldest === undefined) continue;
      if (!state.known && oldest.ts < now - UNKNOWN_WRITER_MS) {
        release(state, (message) => message.ts >= now - UNKNOWN_WRITER_MS);
      } else if (state.known && oldest.ts < now - HOLD_LIMIT_MS) {
        rescue(state, `not settled by its writer within ${HOLD_LIMIT_MS} ms`);
      }
      if (largest === undefined || state.held.length > largest.held.length) largest = state;
    }
    if (heldCount > MAX_HELD && largest !== undefined) rescue(largest, `more than ${MAX_HELD} messages held`);
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
      state.held.push(message);
      heldCount++;
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
      switch (message.topic) {
        case HELLO:
          state.known = true;
          state.departed = false;
          if (!message.payload.reply) publish(HELLO, { db, ns, reply: true });
          break;
        case COMMITTED: {
          state.known = true;
          const { settled } = message.payload as HistoryCommitted;
          if (!Array.isArray(settled)) break;
          for (const range of settled) {
            const [id, from, to] = range;
            const target = writers.get(id);
            if (target === undefined || typeof from !== 'number' || typeof to !== 'number') continue;
            release(target, (held) => {
              const seq = sequenceOf(held.id);
              return seq < from || seq > to;
            });
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
      const ranges = new Map<string, SettledRange>();
      for (const message of batch) {
        const id = writerOf(message.id);
        const seq = sequenceOf(message.id);
        const range = ranges.get(id);
        if (range === undefined) ranges.set(id, [id, id === self ? 0 : seq, seq]);
        else {
          if (id !== self) range[1] = Math.min(range[1], seq);
          range[2] = Math.max(range[2], seq);
        }
      }
      publish(COMMITTED, { db, ns, settled: [...ranges.values()] });
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
