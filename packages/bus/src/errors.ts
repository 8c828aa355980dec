/**
 * Errors thrown or reported by the bus, and the base class every Switchboard package's errors
 * extend. Each class brands its instances with a `Symbol.for` key, so its guard recognises an
 * error created by another bundled copy of the library (where `instanceof` fails).
 */

import { brandError, hasErrorBrand } from './error-brand.ts';

const SWITCHBOARD_ERROR = Symbol.for('switchboard.error');
const TOPIC_ERROR = Symbol.for('switchboard.bus.TopicError');
const LOOP_DETECTED_ERROR = Symbol.for('switchboard.bus.LoopDetectedError');
const TIMEOUT_ERROR = Symbol.for('switchboard.bus.TimeoutError');
const NOT_CLONEABLE_ERROR = Symbol.for('switchboard.bus.NotCloneableError');

/** The codes of the errors the bus throws. Other packages add codes of their own. */
export type BusErrorCode =
  | 'INVALID_TOPIC'
  | 'INVALID_PATTERN'
  | 'RESERVED_TOPIC'
  | 'INVALID_HANDLER'
  | 'INVALID_OPTION'
  | 'NOT_CLONEABLE'
  | 'BUS_DISPOSED'
  | 'LOOP_DETECTED'
  | 'TIMEOUT'
  | 'ABORTED'
  /** A handle's permissions refused a call (`@switchboard/bus/apps`). */
  | 'PERMISSION_DENIED'
  /** A payload broke its topic's schema (`@switchboard/bus/schemas`). */
  | 'SCHEMA_INVALID'
  /** The retained store dropped its oldest topic (`@switchboard/bus/retained`). */
  | 'RETAINED_LIMIT';

/** Any package's error code: the bus's own are suggested, those of other packages accepted. */
export type SwitchboardErrorCode = BusErrorCode | (string & Record<never, never>);

/**
 * Base class of every Switchboard error: a stable `code` (each package documents its own) and
 * an optional `cause`. Recognise it with {@link isSwitchboardError}, never `instanceof`.
 */
export class SwitchboardError<C extends string = SwitchboardErrorCode> extends Error {
  override name = 'SwitchboardError';
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    brandError(this, SWITCHBOARD_ERROR);
  }
}

/** A topic or pattern broke one of the topic rules; `topic` and `rule` name which. */
export class TopicError extends SwitchboardError<'INVALID_TOPIC' | 'INVALID_PATTERN' | 'RESERVED_TOPIC'> {
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
    brandError(this, TOPIC_ERROR);
  }
}

/** A publish was refused because its causation chain got too deep (a likely event loop). */
export class LoopDetectedError extends SwitchboardError<'LOOP_DETECTED'> {
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
    brandError(this, LOOP_DETECTED_ERROR);
  }
}

/** An operation did not finish in time (`waitFor`, and the helpers' timeouts, which extend it). */
export class TimeoutError extends SwitchboardError<'TIMEOUT'> {
  override name = 'TimeoutError';

  constructor(code: 'TIMEOUT', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    brandError(this, TIMEOUT_ERROR);
  }
}

/**
 * `publish` refused a message whose payload or meta could not be sent to other tabs or stored:
 * a function, a DOM node, a Proxy, a value nested too deep, or one whose reading threw. Nothing
 * was delivered; the bus keeps working.
 *
 * @example
 * import { isNotCloneableError } from '@switchboard/bus';
 * try { bus.publish('orders.saved', order); }
 * catch (e) { if (isNotCloneableError(e)) console.error(e.path, e.reason); }
 */
export class NotCloneableError extends SwitchboardError<'NOT_CLONEABLE'> {
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
    brandError(this, NOT_CLONEABLE_ERROR);
  }
}

/**
 * True when `value` is an error created by any copy of any Switchboard package; pass `code` to
 * test for one kind.
 *
 * @example
 * import { isSwitchboardError } from '@switchboard/bus';
 * try { bus.publish('a.+', 1); } catch (e) { if (isSwitchboardError(e, 'INVALID_TOPIC')) { … } }
 */
export function isSwitchboardError(value: unknown, code?: SwitchboardErrorCode): value is SwitchboardError {
  return hasErrorBrand(value, SWITCHBOARD_ERROR) && (code === undefined || (value as SwitchboardError).code === code);
}

/**
 * True when `value` is a {@link TopicError} from any bundled copy of the bus.
 *
 * @example
 * import { isTopicError } from '@switchboard/bus';
 * try { bus.subscribe(userInput, render); } catch (e) { if (isTopicError(e)) showHint(e.rule); }
 */
export function isTopicError(value: unknown): value is TopicError {
  return hasErrorBrand(value, TOPIC_ERROR);
}

/**
 * True when `value` is a {@link LoopDetectedError} from any bundled copy of the bus.
 *
 * @example
 * import { createPubSub, isLoopDetectedError } from '@switchboard/bus';
 * const bus = createPubSub({ app: 'shell', onError: (e) => { if (isLoopDetectedError(e)) console.warn(e.topic, e.depth); } });
 */
export function isLoopDetectedError(value: unknown): value is LoopDetectedError {
  return hasErrorBrand(value, LOOP_DETECTED_ERROR);
}

/**
 * True when `value` is a {@link TimeoutError} (or a helper's timeout, which extends it) from any
 * bundled copy.
 *
 * @example
 * import { isTimeoutError } from '@switchboard/bus';
 * try { await bus.waitFor('orders.confirmed', { timeout: 5000 }); } catch (e) { if (isTimeoutError(e)) retry(); }
 */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasErrorBrand(value, TIMEOUT_ERROR);
}

/**
 * True when `value` is a {@link NotCloneableError} from any bundled copy of the bus.
 *
 * @example
 * import { isNotCloneableError } from '@switchboard/bus';
 * try { bus.publish('report.ready', { render: () => {} }); } catch (e) { if (isNotCloneableError(e)) console.warn(e.path); }
 */
export function isNotCloneableError(value: unknown): value is NotCloneableError {
  return hasErrorBrand(value, NOT_CLONEABLE_ERROR);
}
