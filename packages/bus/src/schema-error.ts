import { brandError, hasErrorBrand } from './error-brand.ts';
import { SwitchboardError } from './errors.ts';

const SCHEMA_ERROR = Symbol.for('switchboard.bus.SchemaError');

/** One problem a schema found, as Standard Schema reports it, with its path made readable. */
export interface SchemaIssue {
  readonly message: string;
  /** Where in the payload: `payload.lines[0].sku`, or `payload` for the payload itself. */
  readonly path: string;
}

/**
 * A payload broke its topic's schema. Thrown by `publish`; reported through `onError` for a
 * message from elsewhere, which is dropped. `path` is where the first issue is.
 */
export class SchemaError extends SwitchboardError<'SCHEMA_INVALID'> {
  override name = 'SchemaError';
  readonly topic: string;
  readonly path: string;
  readonly issues: readonly SchemaIssue[];

  constructor(topic: string, issues: readonly SchemaIssue[], message: string) {
    super('SCHEMA_INVALID', message);
    this.topic = topic;
    this.issues = issues;
    this.path = issues[0]?.path ?? 'payload';
    brandError(this, SCHEMA_ERROR);
  }
}

/**
 * True when `value` is a {@link SchemaError} from any bundled copy of Switchboard.
 *
 * @example
 * import { isSchemaError } from '@switchboard/bus/schemas';
 * try { bus.publish('orders.placed', payload); }
 * catch (e) { if (isSchemaError(e)) console.warn(`${e.topic}: ${e.path}`); }
 */
export function isSchemaError(value: unknown): value is SchemaError {
  return hasErrorBrand(value, SCHEMA_ERROR);
}
