import type { Message } from '@switchboard/bus';
import { sequenceOf, writerOf } from './writer-id.ts';

// The `$sys.history.` events histories exchange for custody (docs/history-design.md, "Custody"),
// and how their payloads are read: they come from other tabs, so they are checked, never trusted.

/** `$sys.history.hello`: a history writes this database and namespace (`reply`: an answer to one). */
export const HELLO = '$sys.history.hello';
/** `$sys.history.committed`: these publish sequences of these writers are settled. */
export const COMMITTED = '$sys.history.committed';
/** `$sys.history.bye`: a history stopped writing (detached). */
export const BYE = '$sys.history.bye';
/**
 * `$sys.history.claim`: a history takes custody of the writers it names (gone or stalled) and
 * writes these ranges of them now; an empty list says it holds nothing more of them.
 */
export const CLAIM = '$sys.history.claim';
/** Published by cross-tab when another tab closed, reloaded, went to the bfcache or went silent. */
export const TAB_LEFT = '$sys.tab.left';

/** `[writer, from, to]`: publish sequences `from..to` of `writer` are settled. */
export type SettledRange = [writer: string, from: number, to: number];

/** Payload of {@link HELLO} and {@link BYE}. */
export interface HistoryHello {
  readonly db: string;
  readonly ns: string;
  readonly reply?: true;
}

/** Payload of {@link COMMITTED} and {@link CLAIM}. */
export interface HistoryCommitted {
  readonly db: string;
  readonly ns: string;
  readonly settled: SettledRange[];
  /** Claims only: the writers this history took custody of (answered for, even with nothing to write). */
  readonly writers?: string[];
}

/** True when `payload` is about database `db` and namespace `ns`. */
export function isAbout(payload: unknown, db: string, ns: string): payload is HistoryHello {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as HistoryHello).db === db &&
    (payload as HistoryHello).ns === ns
  );
}

/** The well-formed ranges of a notice's payload. */
export function rangesIn(payload: unknown): SettledRange[] {
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

/** The writers a claim answers for. */
export function writersIn(payload: unknown): string[] {
  const writers = (payload as Partial<HistoryCommitted>).writers;
  return Array.isArray(writers) ? writers.filter((id): id is string => typeof id === 'string') : [];
}

/** `[writer, lowest, highest]` publish sequence of `messages`, per writer. */
export function rangesOf(messages: readonly Message[]): SettledRange[] {
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
