/**
 * How much one read-only transaction of a query reads. A read-write transaction (a message being
 * stored, by this tab or another) waits for every read-only one on the store created before it,
 * so a query holds writes back by its longest transaction, never by its whole length: a query is
 * read in slices, each a transaction of its own, resuming after the last key read.
 *
 * Measured in Chromium 150 on the bench's 100k and 1M record databases: one `getAllRecords` of 64
 * records newest first took ~1.0-1.15 ms, of 128 ~1.9 ms, of 256 ~3.5-4.5 ms; a page in a
 * transaction of its own costs ~0.15 ms more than one more request in an open one.
 *
 * Each slice starts once the one before it has committed: a read-only transaction created while
 * another still holds the store shares it at once, so back-to-back slices would leave a waiting
 * write no gap (measured: writes every 2 ms beside reads of 64 records back to back waited p50
 * 3.6-4.7 ms when each read began before the last one committed, 1.7 ms when it began after).
 */
export interface ReadSlice {
  /** Most records one request asks for. */
  readonly page: number;
  /** Most records the requests of one transaction ask for together. */
  readonly records: number;
  /** A skip scan (keys only, a seek per step) makes no new seek once its transaction is this old (ms). */
  readonly scanMs: number;
}

export const READ_SLICE: ReadSlice = { page: 128, records: 128, scanMs: 1.5 };

/** Milliseconds for timing slices: `performance.now()` where there is one. */
export function sliceNow(): number {
  return globalThis.performance?.now() ?? Date.now();
}
