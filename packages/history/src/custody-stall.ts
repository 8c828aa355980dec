import type { WriterState } from './custody-writer.ts';

/**
 * A live writer is taken for stalled (its tab frozen, its storage stuck) when it announced no
 * progress while this tab held its messages for {@link STALL_FACTOR} times the longest such wait
 * seen of it so far, and at least this long, while the others committed {@link STALL_ROUNDS}
 * rounds without it (IndexedDB serves every writer once per round: a writer that is only slow
 * because everyone is slow is never lapped). Where nobody else commits, {@link STALL_IDLE_FACTOR}
 * times as long. A writer that is slow keeps sending notices, and a writer that was slow before is
 * given as long again, so its backlog is never written twice.
 */
export const STALL_FLOOR_MS = 15_000;
/** How many times its longest observed wait a writer may go without progress before it is taken for stalled. */
export const STALL_FACTOR = 8;
/** Rounds of commits by the other writers (each one commit per live writer) that lap a stalled writer. */
export const STALL_ROUNDS = 3;
/** Where the others do not lap it (nobody else writes), a writer is stalled after this many times its bound. */
export const STALL_IDLE_FACTOR = 4;

/** How long a writer whose longest wait was `longestWait` may go without progress while its messages are held. */
export function stallBound(longestWait: number): number {
  return Math.max(STALL_FLOOR_MS, STALL_FACTOR * longestWait);
}

/**
 * The live writers to take for stalled at `now`: this tab has waited for their progress far
 * longer than they ever made it wait, while the others kept committing (`commits` notices seen
 * so far, `custodians` live writers in line); or they claimed messages of another writer and have
 * announced nothing for as long.
 */
export function findStalled(
  writers: Iterable<WriterState>,
  now: number,
  commits: number,
  custodians: number,
): Set<string> {
  const all = [...writers];
  const claimers = new Set<string>();
  for (const state of all) for (const [claimer] of state.claims) claimers.add(claimer);
  const stalled = new Set<string>();
  const lapped = STALL_ROUNDS * custodians;
  for (const state of all) {
    if (!state.known || state.departed || state.stalled) continue;
    const bound = stallBound(state.longestWait);
    const overdue = (since: number): boolean =>
      now - since > STALL_IDLE_FACTOR * bound || (now - since > bound && commits - state.commitsAtWait >= lapped);
    const waiting = state.held.length > 0 && overdue(state.waitingSince);
    const claiming = claimers.has(state.id) && overdue(state.lastNotice);
    if (waiting || claiming) stalled.add(state.id);
  }
  return stalled;
}
