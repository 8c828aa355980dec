import type { Message } from '@switchboard/bus';
import { asPropertyNames, rebuildPayload } from './payload-rebuild.ts';
import { bareValueBytes, inheritsEnumerable } from './payload-size.ts';

/**
 * The messages of a batch on the wire. The browser's structured clone, not our code, is most of
 * a message's cost between tabs, and it pays per value: each string and each property name of
 * each object is written, relayed to every tab and read again. So a batch says once what its
 * messages repeat, and a message of a burst costs its id and its payload's values:
 *
 * `topics, shapes, runs, ...values`: `topics` lists the batch's topics, `shapes` the key lists of
 * its flat payloads. `runs` describes the messages in order, as runs of `code, ts, count`:
 * consecutive messages of one topic, shape and timestamp (a burst is one run per millisecond).
 * `code` = `topicIndex * 2048 + shapeIndex * 2 + hasExtras`. The values are each message's:
 * - its id;
 * - its payload: one value for shape 0, else the values of shape `shapeIndex - 1`'s keys: a plain
 *   object whose values are all primitives travels without its property names;
 * - extras, only when any differs from its default: `source` (the index of an app of the
 *   envelope, or the name), `meta` (`0` for `{}`, the id alone for `{ causationId }`), `depth`,
 *   and the origin tab id (`0` for the envelope's own).
 */

/** Most keys a payload may have to travel as values only; larger ones travel as they are. */
const MAX_SHAPE_KEYS = 64;
/** Most shapes one batch can name (10 bits of `code`). */
const MAX_SHAPES = 1023;

/** Appends the batch section for `messages` to `wire`. */
export function writeBatch(
  wire: unknown[],
  tabId: string,
  apps: readonly string[],
  messages: readonly Message[],
): void {
  const topics: string[] = [];
  // Made once a second topic appears: most batches have one.
  let topicIndex: Map<string, number> | undefined;
  const shapes: string[][] = [];
  const runs: unknown[] = [];
  wire.push(topics, shapes, runs);
  let lastTopic: string | undefined;
  let lastTopicIndex = 0;
  let lastKeys: readonly string[] | undefined;
  // The open run: its code, its timestamp and where its count is.
  let runCode = -1;
  let runTs = 0;
  let runCountAt = -1;
  // Payloads travel as values only when for-in sees own properties alone, as structured clone
  // does: not if someone made a property of Object.prototype enumerable.
  const shapeable = !inheritsEnumerable();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.topic !== lastTopic) {
      if (lastTopic !== undefined) topicIndex ??= new Map([[lastTopic, lastTopicIndex]]);
      lastTopic = m.topic;
      lastTopicIndex = topicIndex?.get(m.topic) ?? topics.push(m.topic) - 1;
      topicIndex?.set(m.topic, lastTopicIndex);
    }
    wire.push(m.id);
    const at = wire.length;
    const keys = shapeable ? valuesOf(m.payload, wire, lastKeys) : pushed(wire, m.payload);
    let shape = 0;
    if (keys === SAME_KEYS) {
      shape = shapes.length;
    } else if (keys !== undefined && shapes.length < MAX_SHAPES) {
      lastKeys = keys;
      shape = shapes.push(keys as string[]);
    } else if (keys !== undefined) {
      // Past the shapes a code can name, payloads travel as they are.
      wire.length = at;
      wire.push(m.payload);
    }
    const meta = m.meta === sharedEmptyMeta ? 0 : compactMeta(m.meta);
    const extras = meta !== 0 || m.depth !== 0 || m.source !== apps[0] || m.origin.tabId !== tabId;
    if (extras) wire.push(sourceOf(apps, m.source), meta, m.depth, m.origin.tabId === tabId ? 0 : m.origin.tabId);
    const code = lastTopicIndex * 2048 + shape * 2 + (extras ? 1 : 0);
    // A zero timestamp starts a run of its own: `===` would not tell -0 from 0.
    if (code === runCode && m.ts === runTs && m.ts !== 0) {
      runs[runCountAt] = (runs[runCountAt] as number) + 1;
      continue;
    }
    runCode = code;
    runTs = m.ts;
    runCountAt = runs.push(code, m.ts, 1) - 1;
  }
}

/**
 * True when {@link writeBatch} sends `payload` as its values alone: a plain object of 1 to 64
 * primitive values (no `__proto__` key, no enumerable property on `Object.prototype`). No object
 * of such a payload is posted, only what reading it gave, so nothing of it can fail to clone: a
 * Proxy of one reaches the other tabs as a plain copy, as any payload does. It agrees with
 * `valuesOf` (a batch can name more shapes than it holds messages). It may throw (a getter, a
 * revoked Proxy).
 */
export function travelsAsValues(payload: unknown): boolean {
  return sizeAsValues(payload) >= 0;
}

/**
 * The size `estimatePayloadBytes` gives a payload that {@link travelsAsValues}, or -1 for any
 * other payload: publish asks both of every message, and this reads it once. It may throw.
 */
export function sizeAsValues(payload: unknown): number {
  if (!isPlainRecord(payload)) return -1;
  let count = 0;
  let bytes = 2;
  for (const key in payload) {
    const valueBytes = bareValueBytes(key, payload[key]);
    // The same limits as isWireValue's, in the order that spares a test per property.
    if (valueBytes < 0 || key === '__proto__' || ++count > MAX_SHAPE_KEYS) return -1;
    bytes += valueBytes;
  }
  return count > 0 ? bytes : -1;
}

/**
 * What another tab rebuilds from the wire for a payload that {@link travelsAsValues}: a plain
 * copy of its values; undefined for a payload that travels as it is. It may throw.
 */
export function copyOfValues(payload: unknown): Record<string, unknown> | undefined {
  if (!isPlainRecord(payload)) return undefined;
  const copy: Record<string, unknown> = {};
  let count = 0;
  for (const key in payload) {
    const value = payload[key];
    if (!isWireValue(key, value, count)) return undefined;
    copy[key] = value;
    count++;
  }
  return count > 0 ? copy : undefined;
}

function isPlainRecord(payload: unknown): payload is Record<string, unknown> {
  // Plain objects are told by their constructor: a cached load, where Object.getPrototypeOf is a call.
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { constructor?: unknown }).constructor === Object &&
    !inheritsEnumerable()
  );
}

/**
 * True for the `count`-th property of a plain object when it can travel as a bare value: a
 * primitive that clones, under a key that rebuilds as a property (`__proto__` would set the
 * prototype), within the most keys a shape holds.
 */
function isWireValue(key: string, value: unknown, count: number): boolean {
  const type = typeof value;
  return (
    !((type === 'object' && value !== null) || type === 'function' || type === 'symbol') &&
    key !== '__proto__' &&
    count < MAX_SHAPE_KEYS
  );
}

/** True when {@link writeBatch} sends `meta` without an object: `{}` or `{ causationId }`. */
export function metaTravelsCompact(meta: Message['meta']): boolean {
  return compactMeta(meta) !== meta;
}

/** What {@link valuesOf} found: the payload's keys when it travels as values, or that it did not. */
const SAME_KEYS: readonly string[] = [];

/**
 * Appends the payload: its values when it is a plain object of primitives, else itself. Returns
 * the keys of the values appended (`SAME_KEYS` when they are `lastKeys`), or undefined.
 */
function valuesOf(
  payload: unknown,
  wire: unknown[],
  lastKeys: readonly string[] | undefined,
): readonly string[] | undefined {
  // Plain objects are told by their constructor: a cached load, where Object.getPrototypeOf is a call.
  if (
    typeof payload !== 'object' ||
    payload === null ||
    (payload as { constructor?: unknown }).constructor !== Object
  ) {
    wire.push(payload);
    return undefined;
  }
  const start = wire.length;
  let count = 0;
  let same = lastKeys !== undefined;
  for (const key in payload) {
    const value = (payload as Record<string, unknown>)[key];
    if (!isWireValue(key, value, count)) {
      count = 0;
      break;
    }
    if (same && lastKeys![count] !== key) same = false;
    wire.push(value);
    count++;
  }
  if (count === 0) {
    wire.length = start;
    wire.push(payload);
    return undefined;
  }
  return same && count === lastKeys!.length ? SAME_KEYS : Object.keys(payload);
}

function pushed(wire: unknown[], payload: unknown): undefined {
  wire.push(payload);
  return undefined;
}

/** The source as an index into `apps` when it is one of them, else the name itself. */
function sourceOf(apps: readonly string[], source: string): number | string {
  const index = apps.indexOf(source);
  return index < 0 ? source : index;
}

/** The bus's shared meta of messages without any, once seen: frozen and empty, so sent as `0`. */
let sharedEmptyMeta: Message['meta'] | undefined;

/**
 * `0` for `{}`; the id alone for `{ causationId }` (what a handler's publish carries); else the
 * object.
 */
export function compactMeta(meta: Message['meta']): unknown {
  if (meta === sharedEmptyMeta) return 0;
  let only: string | undefined;
  for (const key in meta) {
    if (only !== undefined || key !== 'causationId') return meta;
    only = key;
  }
  if (only === undefined) {
    // A frozen empty meta stays empty: the bus shares one for every message without meta.
    if (Object.isFrozen(meta)) sharedEmptyMeta = meta;
    return 0;
  }
  return typeof meta.causationId === 'string' ? meta.causationId : meta;
}

/**
 * The meta of every message read without any: one frozen object for all of them, as the
 * publishing bus shares one, instead of an object per message.
 */
const NO_META: Message['meta'] = Object.freeze({});

/**
 * Hands the messages of a read batch to `deliver`, in publish order, as it rebuilds them (no list
 * of them is kept: each can be collected once delivered); returns how many it had to drop.
 */
export type BatchMessages = (deliver: (message: Message) => void) => number;

/**
 * Reads the tables of the batch section of `data` from `start`; undefined when they are malformed.
 * Its messages are read when the returned function is called. Messages with an invalid field are
 * dropped one by one, a run with an invalid field as a whole; a run whose values cannot be told
 * apart ends the read, counting as one.
 */
export function readBatch(
  data: readonly unknown[],
  start: number,
  tabId: string,
  apps: readonly string[],
  isTopicAccepted: (topic: unknown) => boolean,
): BatchMessages | undefined {
  const topics = data[start];
  const shapes = data[start + 1];
  const runs = data[start + 2];
  if (!Array.isArray(topics) || !Array.isArray(shapes) || !Array.isArray(runs) || runs.length === 0) return undefined;
  const names: string[][] = [];
  for (const keys of shapes) {
    if (!isShape(keys)) return undefined;
    names.push(asPropertyNames(keys));
  }
  return (deliver) => {
    // Each topic is checked once per batch, not once per message.
    const accepted = topics.map(isTopicAccepted);
    let malformed = 0;
    const ownOrigin = Object.freeze({ tabId });
    let at = start + 3;
    // Reading stops at the first run whose values cannot be told apart (or that is cut short).
    let stopped = false;
    for (let r = 0; r < runs.length && !stopped; r += 3) {
      const code = runs[r];
      const ts = runs[r + 1];
      const count = runs[r + 2];
      // Number.isInteger and its kin are false for anything but a number.
      const shape = ((code as number) >>> 1) & 1023;
      const keys = shape === 0 ? undefined : names[shape - 1];
      if (
        !Number.isInteger(code) ||
        (code as number) < 0 ||
        (code as number) > 0x7fffffff ||
        (shape !== 0 && keys === undefined) ||
        !(Number.isSafeInteger(count) && (count as number) > 0)
      ) {
        stopped = true;
        break;
      }
      const extras = ((code as number) & 1) === 1;
      const width = 1 + (keys === undefined ? 1 : keys.length) + (extras ? 4 : 0);
      const topic = topics[code >>> 11] as string;
      // A run with an invalid field is dropped as a whole: its values are skipped.
      const dropped = accepted[code >>> 11] !== true || !Number.isFinite(ts);
      for (let j = 0; j < count; j++, at += width) {
        if (at + width > data.length) {
          stopped = true;
          break;
        }
        const id = data[at];
        let source: unknown = apps[0];
        let meta: unknown = 0;
        let depth: unknown = 0;
        let originTabId: unknown = 0;
        if (extras) {
          const base = at + width - 4;
          const sourceField = data[base];
          source = typeof sourceField === 'number' ? apps[sourceField] : sourceField;
          meta = data[base + 1];
          depth = data[base + 2];
          originTabId = data[base + 3];
        }
        if (
          dropped ||
          !isNonEmptyString(id) ||
          !isNonEmptyString(source) ||
          (meta !== 0 &&
            typeof meta !== 'string' &&
            (typeof meta !== 'object' || meta === null || Array.isArray(meta))) ||
          !(Number.isSafeInteger(depth) && (depth as number) >= 0) ||
          (originTabId !== 0 && !isNonEmptyString(originTabId))
        ) {
          malformed++;
          continue;
        }
        deliver({
          id,
          topic,
          payload: keys === undefined ? data[at + 1] : rebuildPayload(keys, data, at + 1),
          ts: ts as number,
          source,
          meta: meta === 0 ? NO_META : typeof meta === 'string' ? { causationId: meta } : (meta as Message['meta']),
          origin: originTabId === 0 ? ownOrigin : Object.freeze({ tabId: originTabId as string }),
          depth: depth as number,
        });
      }
    }
    // Values no run accounts for count as one more, like a run that stops the read.
    if (stopped || at < data.length) malformed++;
    return malformed;
  };
}

function isShape(keys: unknown): keys is string[] {
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_SHAPE_KEYS) return false;
  for (const key of keys) if (typeof key !== 'string' || key === '__proto__') return false;
  return true;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
