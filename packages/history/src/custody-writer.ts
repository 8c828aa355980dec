import type { Message } from '@switchboard/bus';
import type { SettledRange } from './custody-notices.ts';
import { sequenceOf } from './writer-id.ts';

/** What one history knows of another writer (a history in another tab) for custody. */
export interface WriterState {
  readonly id: string;
  tabId: string;
  /** It announced itself (hello or notice) for this database and namespace. */
  known: boolean;
  /** Its tab left. */
  departed: boolean;
  /** Alive, but it made no progress for its stall bound while this tab held its messages. */
  stalled: boolean;
  /** Its messages received and not settled yet, in publish order. */
  held: Message[];
  /** Highest publish sequence of its own that it reported settled: nothing up to it is held. */
  committedTo: number;
  /** Parts of `held` another history claimed (it writes them now): `[claimer, from, to]`. */
  claims: SettledRange[];
  /** Histories that answered for it once it departed or stalled (claimed their part, maybe none). */
  answered: Set<string>;
  /** When it last announced anything (hello, notice, claim), on the history's clock. */
  lastNotice: number;
  /** Since when this tab waits for its progress: its held messages became non-empty, or its last notice since. */
  waitingSince: number;
  /** Longest wait for its progress seen so far. */
  longestWait: number;
  /** Commits seen (of every writer, this history's own included) when `waitingSince` was set. */
  commitsAtWait: number;
  /** Pending fallback for custodians ahead that did not answer. */
  timer: unknown;
}

/** A writer first heard of now (`now` on the history's clock, `commits` seen so far). */
export function newWriterState(id: string, tabId: string, now: number, commits: number): WriterState {
  return {
    id,
    tabId,
    known: false,
    departed: false,
    stalled: false,
    held: [],
    committedTo: -1,
    claims: [],
    answered: new Set(),
    lastNotice: now,
    waitingSince: now,
    longestWait: 0,
    commitsAtWait: commits,
    timer: undefined,
  };
}

/** Its tab left or it stalled: its held messages are for custody. */
export function isAbandoned(state: WriterState): boolean {
  return state.known && (state.departed || state.stalled);
}

/** True for a held message of `state` that a live history claimed. */
export function isClaimed(state: WriterState, message: Message): boolean {
  if (state.claims.length === 0) return false;
  const seq = sequenceOf(message.id);
  return state.claims.some(([, from, to]) => seq >= from && seq <= to);
}
