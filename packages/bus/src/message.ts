/** Correlation data carried with a message; custom keys are allowed and travel unchanged. */
export interface MessageMeta {
  /** Groups the messages of one conversation (a request and its replies, a saga). */
  correlationId?: string;
  /** The id of the message that caused this one. */
  causationId?: string;
  [key: string]: unknown;
}

/** One published message. Treat it as read-only: every subscriber receives the same object. */
export interface Message<T = unknown> {
  /** Unique across tabs and reloads. */
  readonly id: string;
  readonly topic: string;
  readonly payload: T;
  /** Milliseconds since the epoch, set at publish. */
  readonly ts: number;
  /** The publishing app (`createPubSub({ app })`). */
  readonly source: string;
  readonly meta: MessageMeta;
  /** Which tab published it. */
  readonly origin: { readonly tabId: string };
  /**
   * Length of the causation chain that led to this message: 0 for a publish that no message
   * caused. Loop detection reads it, in this tab and in others.
   */
  readonly depth: number;
}

/** Options of `publish`: correlation data and any other meta for the message. */
export interface PublishOptions extends MessageMeta {}

let lastRandom = '';

/**
 * Returns a short random prefix for message ids. One per bus: ids are then `prefix-counter`,
 * unique across tabs and reloads without a UUID per message.
 */
export function createIdPrefix(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  let prefix = '';
  for (const byte of bytes) prefix += (byte % 36).toString(36);
  // Astronomically unlikely, but two buses of one tab must never share a prefix.
  if (prefix === lastRandom) return createIdPrefix();
  lastRandom = prefix;
  return prefix;
}

const BASE36_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Returns a function making the id of a bus's message number `sequence`: `prefix` + the sequence
 * in base 36 (history orders records by it). Number#toString(36) on every publish was a sixth of
 * its cost: only the last digit changes between consecutive ids, so the head is rebuilt once
 * every 36.
 */
export function createIdFormatter(prefix: string): (sequence: number) => string {
  // `prefix` plus all base-36 digits of `expected` but the last, which is `digit`.
  let expected = 0;
  let digit = 0;
  let head = prefix;
  return (sequence) => {
    if (sequence !== expected) {
      // Out of turn (a test, say): start over from this sequence.
      const block = Math.floor(sequence / 36);
      head = block === 0 ? prefix : prefix + block.toString(36);
      digit = sequence - block * 36;
    }
    const id = head + BASE36_DIGITS[digit]!;
    expected = sequence + 1;
    if (++digit === 36) {
      digit = 0;
      head = prefix + (expected / 36).toString(36);
    }
    return id;
  };
}
