/**
 * Message ids: a short random prefix per bus, then the bus's message number in base 36. Unique
 * across tabs and reloads without a UUID per message; history orders records by them.
 */

const BASE36_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

let lastRandom = '';

/**
 * Returns a short random prefix for message ids (also used for tab ids). Ids must be unique, not
 * secret, so `Math.random` serves (each realm seeds it from the system's entropy): the first use
 * of `crypto` in Node loads its web crypto module, ~3 ms of a bus's start.
 */
export function createIdPrefix(): string {
  let prefix = '';
  for (let i = 0; i < 8; i++) prefix += BASE36_DIGITS[Math.floor(Math.random() * 36)];
  // Astronomically unlikely, but two buses of one tab must never share a prefix.
  if (prefix === lastRandom) return createIdPrefix();
  lastRandom = prefix;
  return prefix;
}

/**
 * Makes the ids of one bus. Number#toString(36) on every publish was a sixth of its cost: only the
 * last digit changes between consecutive ids, so the head is rebuilt once every 36. A record read
 * by {@link nextId}, so every bus of a tab shares its compiled code.
 */
export interface IdFormatter {
  readonly prefix: string;
  /** The sequence the next call is expected to ask for. */
  expected: number;
  /** Last base-36 digit of `expected`. */
  digit: number;
  /** `prefix` plus all base-36 digits of `expected` but the last. */
  head: string;
}

/** Creates the formatter of ids `prefix` + sequence in base 36. */
export function createIdFormatter(prefix: string): IdFormatter {
  return { prefix, expected: 0, digit: 0, head: prefix };
}

/** The id of message number `sequence`. */
export function nextId(ids: IdFormatter, sequence: number): string {
  if (sequence !== ids.expected) {
    // Out of turn (a test, say): start over from this sequence.
    const block = Math.floor(sequence / 36);
    ids.head = block === 0 ? ids.prefix : ids.prefix + block.toString(36);
    ids.digit = sequence - block * 36;
  }
  const id = ids.head + BASE36_DIGITS[ids.digit]!;
  ids.expected = sequence + 1;
  if (++ids.digit === 36) {
    ids.digit = 0;
    ids.head = ids.prefix + (ids.expected / 36).toString(36);
  }
  return id;
}
