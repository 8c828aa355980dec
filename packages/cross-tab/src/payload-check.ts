import { confirmCloneable, type Message } from '@switchboard/bus';
import { findUncloneable } from '@switchboard/bus/internal';
import { compactMeta, sizeAsValues } from './batch-codec.ts';
import { PayloadError } from './errors.ts';
import { estimatePayloadBytes, formatBytes } from './payload-size.ts';

/** Refuses, at publish, what could not reach the other tabs; remembers the size of what passes. */
export interface PayloadCheck {
  /** Throws a {@link PayloadError} (`NOT_CLONEABLE` / `PAYLOAD_TOO_LARGE`) naming the topic. */
  check(message: Message): void;
  /** The estimated size `check` found for a message (0 if it was not checked). */
  sizeOf(message: Message): number;
}

/** What {@link estimatePayloadBytes} counts for `{}`. */
const EMPTY_OBJECT_BYTES = 2;

/** Creates the check behind the adapter's `check(message)` hook. */
export function createPayloadCheck(maxPayloadBytes: number): PayloadCheck {
  // The bus checks a message and then shows it to the adapters, so the last size checked is the
  // one asked for; a WeakMap entry per message cost more than the rest of the check.
  let last: Message | undefined;
  let lastBytes = 0;
  return {
    check(message) {
      // The commonest payload travels as its values: primitives, so only its size can be refused.
      // The bus's clone check read it just before, on the same message (unless checks are off).
      const valuesBytes = message === sized ? sizedBytes : sizeOfValuesOnly(message);
      if (valuesBytes >= 0) {
        checkSize(message, valuesBytes);
        return;
      }
      const empty = isEmpty(message.meta);
      // The bus checks payloads too (unless checkPayloads is off), but not meta, which travels as well.
      const uncloneable =
        findUncloneable(message.payload) ?? (empty ? undefined : findUncloneable(message.meta, 'meta'));
      if (uncloneable !== undefined) {
        throw new PayloadError(
          'NOT_CLONEABLE',
          message.topic,
          uncloneable,
          `publish('${message.topic}'): ${uncloneable} cannot be sent to other tabs; publish plain data (objects, arrays, strings, numbers, Dates, Maps…).`,
        );
      }
      checkSize(
        message,
        estimatePayloadBytes(message.payload, maxPayloadBytes) +
          (empty ? EMPTY_OBJECT_BYTES : estimatePayloadBytes(message.meta, maxPayloadBytes)),
      );
    },
    sizeOf: (message) => (message === last ? lastBytes : 0),
  };

  /** Refuses a message over the limit; else keeps its size for `sizeOf`. */
  function checkSize(message: Message, bytes: number): void {
    if (bytes > maxPayloadBytes) {
      const reason = `about ${formatBytes(bytes)} or more, limit ${formatBytes(maxPayloadBytes)}`;
      throw new PayloadError(
        'PAYLOAD_TOO_LARGE',
        message.topic,
        reason,
        `publish('${message.topic}'): the payload is ${reason}; send an id and load the data where it is needed, or raise maxPayloadBytes.`,
      );
    }
    last = message;
    lastBytes = bytes;
  }
}

/**
 * The clone check cross-tab hands the bus (`BusAdapter.clones`): the structured clone, for what is
 * posted as an object only. A payload that travels as its values and meta that travels compact
 * put no object of the app's on the wire, so the clone (a serialization and a copy, several times
 * the rest of a publish) would confirm nothing: a Proxy of such a payload reaches the other tabs
 * as a plain copy of what it reads as. History hands the bus the full check, as it stores the
 * message itself.
 */
export function confirmPostable(message: Message): void {
  const bytes = sizeOfValuesOnly(message);
  if (bytes < 0) {
    confirmCloneable(message);
    return;
  }
  // The adapter's size check comes next, for this message: it reads the size found here.
  sized = message;
  sizedBytes = bytes;
}

/** The last message {@link confirmPostable} found posting values only, and their size. */
let sized: Message | undefined;
let sizedBytes = -1;

/**
 * The estimated size of a message whose payload and meta travel as values or not at all (no
 * object of the app's is posted), or -1 for any other message.
 */
function sizeOfValuesOnly(message: Message): number {
  try {
    const { payload, meta } = message;
    const type = typeof payload;
    let bytes: number;
    if (type === 'object' && payload !== null) bytes = sizeAsValues(payload);
    // A primitive hides no Proxy; a function or symbol is refused by the walk.
    else if (type === 'function' || type === 'symbol') return -1;
    else bytes = estimatePayloadBytes(payload);
    if (bytes < 0) return -1;
    // The bus shares one frozen `{}` among messages without meta: known empty without a for-in.
    const compact = compactMeta(meta);
    if (compact === 0) return bytes + EMPTY_OBJECT_BYTES;
    return compact !== meta ? bytes + estimatePayloadBytes(meta) : -1;
  } catch {
    // Reading threw (a getter, a revoked Proxy): the full check finds where and says so.
    return -1;
  }
}

/** The error reported when `postMessage` itself could not clone a message. */
export function postCloneError(message: Message, cause: unknown): PayloadError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PayloadError(
    'NOT_CLONEABLE',
    message.topic,
    reason,
    `publish('${message.topic}'): the message could not be posted to other tabs (${reason}); publish plain data only.`,
    { cause },
  );
}

/** True for `{}`: most messages have no meta, and walking it twice per publish showed. */
function isEmpty(value: object): boolean {
  for (const _ in value) return false;
  return true;
}
