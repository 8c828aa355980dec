import type { Message } from '@switchboard/bus';
import { asPropertyNames, rebuildPayload } from './payload-rebuild.ts';
import { propertyBytes } from './payload-size.ts';

/**
 * The messages of a batch on the wire. The browser's structured clone, not our code, is most of
 * a message's cost between tabs, and it pays per value: each string and each property name of
 * each object is written and read again. So a batch says once what its messages repeat:
 *
 * `topics, shapes, baseTs, ...rows`: `topics` lists the batch's topics, `shapes` the key lists of
 * its flat payloads, `baseTs` the first timestamp. Each row is
 * `code, id, ts, ...payload, ...extras`:
 * - `code` = `topicIndex * 2048 + shapeIndex * 2 + hasExtras`;
 * - `ts` is the timestamp minus `baseTs` (or `[ts]` where that difference would not add back
 *   exactly);
 * - the payload is one value for shape 0, else the values of shape `shapeIndex - 1`'s keys: a
 *   plain object whose values are all primitives travels without its property names;
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
  const baseTs = messages[0]!.ts;
  wire.push(topics, shapes, baseTs);
  let lastTopic: string | undefined;
  let lastTopicIndex = 0;
  let lastKeys: readonly string[] | undefined;
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
    const at = wire.length;
    const delta = m.ts - baseTs;
    wire.push(0, m.id, baseTs + delta === m.ts ? delta : [m.ts]);
    const keys = shapeable ? valuesOf(m.payload, wire, lastKeys) : pushed(wire, m.payload);
    let shape = 0;
    if (keys === SAME_KEYS) {
      shape = shapes.length;
    } else if (keys !== undefined && shapes.length < MAX_SHAPES) {
      lastKeys = keys;
      shape = shapes.push(keys as string[]);
    } else if (keys !== undefined) {
      // Past the shapes a code can name, payloads travel as they are.
      wire.length = at + 3;
      wire.push(m.payload);
    }
    const meta = m.meta === sharedEmptyMeta ? 0 : compactMeta(m.meta);
    const extras = meta !== 0 || m.depth !== 0 || m.source !== apps[0] || m.origin.tabId !== tabId;
    if (extras) wire.push(sourceOf(apps, m.source), meta, m.depth, m.origin.tabId === tabId ? 0 : m.origin.tabId);
    wire[at] = lastTopicIndex * 2048 + shape * 2 + (extras ? 1 : 0);
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
    const value = payload[key];
    if (!isWireValue(key, value, count)) return -1;
    bytes += propertyBytes(key, value);
    count++;
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

/** True when {@link writeBatch} sends `meta` as nothing at all: `{}`. */
export function metaIsEmpty(meta: Message['meta']): boolean {
  return compactMeta(meta) === 0;
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

function inheritsEnumerable(): boolean {
  for (const _ in {}) return true;
  return false;
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
function compactMeta(meta: Message['meta']): unknown {
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

/** What {@link readBatch} found: the valid messages and how many rows it had to drop. */
export interface BatchRead {
  readonly messages: Message[];
  readonly malformed: number;
}

/**
 * Reads the batch section of `data` from `start`; undefined when its tables are malformed. Rows
 * with an invalid field are dropped one by one; a row whose length cannot be known ends the read,
 * counting as one.
 */
export function readBatch(
  data: readonly unknown[],
  start: number,
  tabId: string,
  apps: readonly string[],
  isTopicAccepted: (topic: unknown) => boolean,
): BatchRead | undefined {
  const topics = data[start];
  const shapes = data[start + 1];
  const baseTs = data[start + 2];
  if (!Array.isArray(topics) || !Array.isArray(shapes) || !isFiniteNumber(baseTs) || data.length <= start + 3) {
    return undefined;
  }
  const names: string[][] = [];
  for (const keys of shapes) {
    if (!isShape(keys)) return undefined;
    names.push(asPropertyNames(keys));
  }
  // Each topic is checked once per batch, not once per message.
  const accepted = topics.map(isTopicAccepted);
  const messages: Message[] = [];
  let malformed = 0;
  const ownOrigin = Object.freeze({ tabId });
  for (let at = start + 3; at < data.length; ) {
    const code = data[at];
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 0x7fffffff) {
      malformed++;
      break;
    }
    const shape = (code >>> 1) & 1023;
    const topic = code >>> 11;
    const keys = shape === 0 ? undefined : names[shape - 1];
    const extras = (code & 1) === 1;
    const next = at + 3 + (keys === undefined ? 1 : keys.length) + (extras ? 4 : 0);
    if ((shape !== 0 && keys === undefined) || next > data.length) {
      malformed++;
      break;
    }
    const id = data[at + 1];
    const tsField = data[at + 2];
    const ts = typeof tsField === 'number' ? baseTs + tsField : Array.isArray(tsField) ? tsField[0] : undefined;
    const payload = keys === undefined ? data[at + 3] : rebuildPayload(keys, data, at + 3);
    let source: unknown = apps[0];
    let meta: unknown = 0;
    let depth: unknown = 0;
    let originTabId: unknown = 0;
    if (extras) {
      const base = next - 4;
      const sourceField = data[base];
      source = typeof sourceField === 'number' ? apps[sourceField] : sourceField;
      meta = data[base + 1];
      depth = data[base + 2];
      originTabId = data[base + 3];
    }
    at = next;
    if (
      accepted[topic] !== true ||
      !isNonEmptyString(id) ||
      !isFiniteNumber(ts) ||
      !isNonEmptyString(source) ||
      (meta !== 0 && typeof meta !== 'string' && (typeof meta !== 'object' || meta === null || Array.isArray(meta))) ||
      !(typeof depth === 'number' && Number.isSafeInteger(depth) && depth >= 0) ||
      (originTabId !== 0 && !isNonEmptyString(originTabId))
    ) {
      malformed++;
      continue;
    }
    messages.push({
      id,
      topic: topics[topic] as string,
      payload,
      ts,
      source,
      meta: meta === 0 ? NO_META : typeof meta === 'string' ? { causationId: meta } : (meta as Message['meta']),
      origin: originTabId === 0 ? ownOrigin : Object.freeze({ tabId: originTabId as string }),
      depth,
    });
  }
  return { messages, malformed };
}

function isShape(keys: unknown): keys is string[] {
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_SHAPE_KEYS) return false;
  for (const key of keys) if (typeof key !== 'string' || key === '__proto__') return false;
  return true;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
