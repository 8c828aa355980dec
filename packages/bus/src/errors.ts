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
  | 'INVALID_ENVELOPE';

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
