/**
 * Which bus published a message, and where in that bus's order, read from the message id alone.
 * Bus ids are `<prefix>-<counter in base 36>`: the prefix names the publishing bus (the writer
 * custody tracks), the counter orders its messages.
 */

const TAIL_SEQUENCE = /-([0-9a-z]{1,10})$/;

/**
 * The publish counter that ends a bus message id, so messages of one bus published in the same
 * millisecond keep their order in the key. Ids from elsewhere (no counter) give 0 and sort by id
 * within their millisecond.
 */
export function sequenceOf(id: string): number {
  const match = TAIL_SEQUENCE.exec(id);
  return match ? parseInt(match[1]!, 36) : 0;
}

/** The publishing bus's id prefix (`'k2f9x0qa-'` for `'k2f9x0qa-1z'`), or the whole id without a counter. */
export function writerOf(id: string): string {
  const match = TAIL_SEQUENCE.exec(id);
  return match ? id.slice(0, match.index + 1) : id;
}
