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
 * Each slice starts once the one before it has committed ({@link SliceGate}): a read-only
 * transaction created while another still holds the store shares it at once, so back-to-back
 * slices would leave a waiting write no gap (measured: writes every 2 ms beside reads of 64
 * records back to back waited p50 3.6-4.7 ms when each read began before the last one committed,
 * 1.7 ms when it began after).
 */
export interface ReadSlice {
  /** Most records one request asks for. */
  readonly page: number;
  /** Most records the requests of one transaction ask for together. */
  readonly records: number;
  /** Most seeks (keys only) one transaction of a skip scan makes. */
  readonly seeks: number;
}

export const READ_SLICE: ReadSlice = { page: 128, records: 128, seeks: 32 };

/**
 * Keeps the slices of one query apart: each begins once the one before it has committed, while
 * the results of each are used as soon as they are in (the last slice's commit is not waited for).
 */
export interface SliceGate {
  /** Resolves once the last slice begun has committed (or aborted). */
  opened(): Promise<void>;
  /** Notes the transaction of the slice that begins now. */
  began(tx: IDBTransaction): void;
}

export function sliceGate(): SliceGate {
  let committed: Promise<void> = Promise.resolve();
  return {
    opened: () => committed,
    began(tx) {
      committed = new Promise((resolve) => {
        tx.addEventListener('complete', () => resolve());
        tx.addEventListener('abort', () => resolve());
      });
    },
  };
}
