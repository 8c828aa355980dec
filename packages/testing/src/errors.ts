/** Why a helper of the kit failed. */
export type TestingErrorCode =
  /** A wait or assertion did not hold within its timeout. */
  | 'TIMEOUT'
  /** The page has no recorder: it was not tapped, or not yet navigated. */
  | 'NOT_TAPPED'
  /** The page was closed while a helper needed it. */
  | 'PAGE_CLOSED'
  /** A helper was called with arguments it cannot use. */
  | 'INVALID_OPTION';

const BRAND = Symbol.for('switchboard.testing.error');

/**
 * What the kit's helpers throw (both entry points). The Playwright helpers' messages name the
 * helper and the tab, list what the tab saw and end with what to check.
 *
 * @example
 * import { isTestingError } from '@switchboard/testing/playwright';
 * try { await waitForMessage(page, 'orders.created'); } catch (error) { if (isTestingError(error)) console.log(error.code); throw error; }
 */
export class TestingError extends Error {
  override readonly name: string = 'TestingError';
  readonly code: TestingErrorCode;

  constructor(code: TestingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for errors of the kit, also when thrown by another bundled copy of it.
 *
 * @example
 * import { isTestingError } from '@switchboard/testing/playwright';
 * isTestingError(new Error('x')); // false
 */
export function isTestingError(error: unknown): error is TestingError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
