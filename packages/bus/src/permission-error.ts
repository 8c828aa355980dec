import { brandError, hasErrorBrand } from './error-brand.ts';
import { SwitchboardError } from './errors.ts';

const PERMISSION_ERROR = Symbol.for('switchboard.bus.PermissionError');

/** What a per-app permission is about: the call that was refused. */
export type PermissionAction = 'publish' | 'subscribe' | 'access';

/**
 * An app's handle refused a call its permissions do not allow; nothing was sent. `app` is the
 * app, `subject` the topic, pattern or helper namespace, `rule` the manifest rule that decided.
 */
export class PermissionError extends SwitchboardError<'PERMISSION_DENIED'> {
  override name = 'PermissionError';
  readonly app: string;
  readonly action: PermissionAction;
  readonly subject: string;
  readonly rule: string;

  constructor(app: string, action: PermissionAction, subject: string, rule: string, message: string) {
    super('PERMISSION_DENIED', message);
    this.app = app;
    this.action = action;
    this.subject = subject;
    this.rule = rule;
    brandError(this, PERMISSION_ERROR);
  }
}

/**
 * True when `value` is a {@link PermissionError} from any bundled copy of Switchboard.
 *
 * @example
 * import { isPermissionError } from '@switchboard/bus/apps';
 * try { bus.publish('inventory.reserved', payload); }
 * catch (e) { if (isPermissionError(e)) console.warn(`${e.app} may not ${e.action} ${e.subject}`); }
 */
export function isPermissionError(value: unknown): value is PermissionError {
  return hasErrorBrand(value, PERMISSION_ERROR);
}
