import { SwitchboardError } from '@switchboard/bus';
import { brandError, hasErrorBrand } from '@switchboard/bus/internal';

/** The codes of the errors history reports or throws. */
export type HistoryErrorCode =
  /** IndexedDB failed: a write, a read, GC, or opening the database. */
  | 'STORAGE_FAILED'
  /** A message could not be stored: its payload is not structured-cloneable. */
  | 'NOT_CLONEABLE'
  /** IndexedDB is missing or the database on disk has a newer schema. */
  | 'UNSUPPORTED'
  /** A query or option was given a value it cannot use. */
  | 'INVALID_OPTION';

const HISTORY_ERROR = Symbol.for('switchboard.history.HistoryError');

/**
 * What part of the history failed, so `onError` handlers can react to each case (show a "storage
 * full" notice on `'quota'`, ignore `'blocked'`…) without parsing messages.
 */
export type HistoryFailure =
  /** The browser refused a write for lack of space, even after evicting the oldest records. */
  | 'quota'
  /** A batch of messages could not be written for another reason; it was dropped. */
  | 'write'
  /** A query failed. */
  | 'read'
  /** Garbage collection failed; it is retried on the next interval. */
  | 'gc'
  /** IndexedDB could not be opened; history fell back to memory. */
  | 'unavailable'
  /** The database on disk has a newer, incompatible schema (another tab runs a newer version). */
  | 'schema'
  /** A message could not be stored (its payload is not structured-cloneable). */
  | 'clone';

/**
 * An error of `@switchboard/history`. It is a {@link SwitchboardError} (recognise it with
 * `isSwitchboardError(error, 'STORAGE_FAILED')`); `failure` says which part failed and `cause`
 * holds the browser's DOMException.
 *
 * @example
 * import { createHistoryAdapter, isHistoryError } from '@switchboard/history';
 * const history = createHistoryAdapter({
 *   onError: (error) => { if (isHistoryError(error) && error.failure === 'quota') showStorageFullNotice(); },
 * });
 */
export class HistoryError extends SwitchboardError<HistoryErrorCode> {
  override name = 'HistoryError';
  readonly failure: HistoryFailure;

  constructor(code: HistoryErrorCode, failure: HistoryFailure, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.failure = failure;
    brandError(this, HISTORY_ERROR);
  }
}

/**
 * True when `value` is a {@link HistoryError} from any bundled copy of this package.
 *
 * @example
 * import { isHistoryError } from '@switchboard/history';
 * if (isHistoryError(error) && error.failure === 'quota') console.warn('history is full');
 */
export function isHistoryError(value: unknown): value is HistoryError {
  return hasErrorBrand(value, HISTORY_ERROR);
}

/** The DOMException name of an IndexedDB failure (`'QuotaExceededError'`…), or undefined. */
export function domErrorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string') {
    return (error as { name: string }).name;
  }
  return undefined;
}

/** A short description of a browser error for messages: `QuotaExceededError: …`. */
export function describeError(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const { name, message } = error as { name?: string; message?: string };
    return `${name ?? 'Error'}: ${message ?? ''}`.trim();
  }
  return String(error);
}
