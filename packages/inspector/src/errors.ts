/**
 * Errors of the inspector. They extend `SwitchboardError`, so `isSwitchboardError(error)` knows
 * them; {@link isInspectorError} recognises them across bundled copies, where `instanceof` fails.
 */
import { SwitchboardError } from '@switchboard/bus';
import { brandError, hasErrorBrand } from '@switchboard/bus/internal';

/** The codes of the errors the inspector throws. */
export type InspectorErrorCode =
  /** A session file is not JSON, or a field of it is missing or of the wrong type. */
  | 'INVALID_SESSION'
  /** A session file was written by a format version this inspector cannot read. */
  | 'UNSUPPORTED_SESSION_VERSION'
  /** An option was given a value the inspector cannot use (an unknown shortcut key, say). */
  | 'INVALID_OPTION';

const INSPECTOR_ERROR = Symbol.for('switchboard.inspector.InspectorError');

/**
 * What the inspector throws. `path` names the part of the input that was wrong
 * (`messages[3].topic` in a session file, `shortcut` in options).
 *
 * @example
 * import { isInspectorError, parseSession } from '@switchboard/inspector';
 * try { parseSession(text); }
 * catch (e) { if (isInspectorError(e, 'UNSUPPORTED_SESSION_VERSION')) alert(e.message); }
 */
export class InspectorError extends SwitchboardError<InspectorErrorCode> {
  override name = 'InspectorError';
  /** Where in the input the problem is. */
  readonly path: string;

  constructor(code: InspectorErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.path = path;
    brandError(this, INSPECTOR_ERROR);
  }
}

/**
 * True when `error` is an {@link InspectorError} (of `code`, if given), from any bundled copy.
 *
 * @example
 * import { isInspectorError } from '@switchboard/inspector';
 * if (isInspectorError(error, 'INVALID_SESSION')) console.warn(error.path);
 */
export function isInspectorError(error: unknown, code?: InspectorErrorCode): error is InspectorError {
  return hasErrorBrand(error, INSPECTOR_ERROR) && (code === undefined || (error as InspectorError).code === code);
}
