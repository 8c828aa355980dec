/**
 * Errors thrown or reported by the bus. Every error carries a stable `code` and a brand, so
 * `isSwitchboardError()` recognises it even when it was created by another bundled copy of the
 * library (where `instanceof` fails).
 */

const BRAND = Symbol.for('switchboard.error');

/** The fixed set of codes used across Switchboard packages. */
export type SwitchboardErrorCode =
  | 'INVALID_TOPIC'
  | 'INVALID_PATTERN'
  | 'RESERVED_TOPIC'
  | 'INVALID_HANDLER'
  | 'INVALID_OPTION'
  | 'NOT_CLONEABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'BUS_DISPOSED'
  | 'LOOP_DETECTED'
  | 'HANDLER_FAILED'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'NO_HANDLER'
  | 'REMOTE_ERROR'
  | 'TARGET_GONE'
  | 'CIRCUIT_OPEN'
  | 'STORAGE_FAILED'
  | 'UNSUPPORTED'
  | 'INVALID_MESSAGE'
  | 'INVALID_ENVELOPE'
  | 'PERMISSION_DENIED'
  | 'SCHEMA_INVALID';

/** Base class of every Switchboard error. Check with {@link isSwitchboardError}, not `instanceof`. */
export class SwitchboardError extends Error {
  override name = 'SwitchboardError';
  readonly code: SwitchboardErrorCode;

  constructor(code: SwitchboardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** A topic or pattern broke one of the topic rules; `topic` and `rule` name which. */
export class TopicError extends SwitchboardError {
  override name = 'TopicError';
  readonly topic: string;
  readonly rule: string;

  constructor(
    code: 'INVALID_TOPIC' | 'INVALID_PATTERN' | 'RESERVED_TOPIC',
    topic: string,
    rule: string,
    message: string,
  ) {
    super(code, message);
    this.topic = topic;
    this.rule = rule;
  }
}

/** A publish was refused because its causation chain got too deep (a likely event loop). */
export class LoopDetectedError extends SwitchboardError {
  override name = 'LoopDetectedError';
  readonly topic: string;
  readonly depth: number;

  constructor(topic: string, depth: number, maxDepth: number) {
    super(
      'LOOP_DETECTED',
      `publish('${topic}'): causation depth ${depth} exceeds maxDepth ${maxDepth}; ` +
        'a handler chain keeps publishing in response to its own messages. Break the cycle or raise maxDepth.',
    );
    this.topic = topic;
    this.depth = depth;
  }
}

/** An operation did not finish in time. */
export class TimeoutError extends SwitchboardError {
  override name = 'TimeoutError';
}

/** What a per-app permission is about: the call that was refused. */
export type PermissionAction = 'publish' | 'subscribe' | 'access';

/**
 * An app's handle refused a call its permissions do not allow; nothing was sent. `app` is the
 * app, `subject` the topic, pattern or helper namespace, `rule` the manifest rule that decided.
 */
export class PermissionError extends SwitchboardError {
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
  return isSwitchboardError(value, 'PERMISSION_DENIED') && typeof (value as PermissionError).subject === 'string';
}

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
export class SchemaError extends SwitchboardError {
  override name = 'SchemaError';
  readonly topic: string;
  readonly path: string;
  readonly issues: readonly SchemaIssue[];

  constructor(topic: string, issues: readonly SchemaIssue[], message: string) {
    super('SCHEMA_INVALID', message);
    this.topic = topic;
    this.issues = issues;
    this.path = issues[0]?.path ?? 'payload';
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
  return isSwitchboardError(value, 'SCHEMA_INVALID') && Array.isArray((value as SchemaError).issues);
}

/**
 * True when `value` is an error created by any copy of Switchboard; pass `code` to test for one
 * kind.
 *
 * @example
 * import { isSwitchboardError } from '@switchboard/bus';
 * try { bus.publish('a.+', 1); } catch (e) { if (isSwitchboardError(e, 'INVALID_TOPIC')) { … } }
 */
export function isSwitchboardError(value: unknown, code?: SwitchboardErrorCode): value is SwitchboardError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  return code === undefined || (value as SwitchboardError).code === code;
}

/**
 * `publish` refused a message whose payload or meta could not be sent to other tabs or stored:
 * a function, a DOM node, a Proxy, a value nested too deep, or one whose reading threw. Nothing
 * was delivered; the bus keeps working.
 *
 * @example
 * import { isSwitchboardError } from '@switchboard/bus';
 * try { bus.publish('orders.saved', order); }
 * catch (e) { if (isSwitchboardError(e, 'NOT_CLONEABLE')) console.error(e.message); }
 */
export class NotCloneableError extends SwitchboardError {
  override name = 'NotCloneableError';
  /** The topic of the refused message. */
  readonly topic: string;
  /** Where in the message: `payload.items[2].save`, `meta.onDone`. */
  readonly path: string;
  /** Why: `function save`, `nested more than 1000 levels deep`, `reading it threw TypeError: …`. */
  readonly reason: string;

  constructor(topic: string, path: string, reason: string, options?: { cause?: unknown }) {
    super(
      'NOT_CLONEABLE',
      `publish('${topic}'): ${path} (${reason}) cannot be sent between tabs or stored; publish plain data (objects, arrays, strings, numbers, Dates, Maps…).`,
      options,
    );
    this.topic = topic;
    this.path = path;
    this.reason = reason;
  }
}
