import { describeType } from './topic.ts';

/**
 * Finds the first part of `value` that the structured clone algorithm (BroadcastChannel,
 * IndexedDB) would refuse, and returns a description like `payload.items[2].save (function)`;
 * undefined when the value is cloneable. Walking is much cheaper than `structuredClone` for the
 * small payloads a bus carries, and it names the offending path.
 */
export function findUncloneable(value: unknown, path = 'payload'): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return undefined;
    case 'function':
    case 'symbol':
      return `${path} (${describeType(value)})`;
    default:
      if (value === null || isFlatPlainData(value)) return undefined;
      // Most payloads are small trees of plain objects and arrays: confirm that without building
      // a path string per property or a `seen` set, and walk in detail only when in doubt.
      if (plainDataBudget(value as object, PLAIN_BUDGET) >= 0) return undefined;
      return walkObject(value as object, path, new Set());
  }
}

/**
 * True for the commonest payload, a plain object of primitives (`{ id: 'o-1', qty: 3 }`), in one
 * small loop the compiler inlines into `publish`. False means "walk it", not "refused". An
 * enumerable property inherited from a polluted prototype also sends it to the walk, which looks
 * at own properties only.
 *
 * Plain objects are told by their `constructor`: Dates, Maps, class instances, DOM nodes and
 * objects of other frames all have another one and take the walk. It is a cached property load,
 * where `Object.getPrototypeOf` is a builtin call V8 does not inline (~9 ns of a ~105 ns publish).
 */
export function isFlatPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || (value as { constructor?: unknown }).constructor !== Object)
    return false;
  for (const key in value) {
    const type = typeof (value as Record<string, unknown>)[key];
    if (type === 'object' || type === 'function' || type === 'symbol') return false;
  }
  return true;
}

// Objects the quick check visits before leaving the payload to the detailed walk. It bounds the
// work on shared or cyclic references, which the quick check does not track.
const PLAIN_BUDGET = 256;

/**
 * Returns the budget left when `value` is plain data (arrays and plain objects down to
 * primitives that clone), or -1 when the detailed walk must decide. Never returns a budget for
 * something {@link walkObject} would refuse.
 */
function plainDataBudget(value: object, budget: number): number {
  if (--budget < 0) return -1;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      budget = plainItemBudget(value[i], budget);
      if (budget < 0) return -1;
    }
    return budget;
  }
  // Class instances, Dates, Maps, DOM nodes… take the detailed walk.
  if (!isPlainObject(value)) return -1;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    budget = plainItemBudget((value as Record<string, unknown>)[key], budget);
    if (budget < 0) return -1;
  }
  return budget;
}

function plainItemBudget(item: unknown, budget: number): number {
  if (typeof item === 'object') return item === null ? budget : plainDataBudget(item, budget);
  return typeof item === 'function' || typeof item === 'symbol' ? -1 : budget;
}

function walkObject(value: object, path: string, seen: Set<object>): string | undefined {
  if (seen.has(value)) return undefined; // cycles are cloneable
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walkValue(value[i], `${path}[${i}]`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) {
    const verdict = describeSpecialObject(value, path);
    if (verdict !== null) return verdict;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      const found = walkValue(key, `${path}.<key>`, seen) ?? walkValue(item, `${path}.get(${String(key)})`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const item of value) {
      const found = walkValue(item, `${path}.<item>`, seen);
      if (found) return found;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = walkValue((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
    if (found) return found;
  }
  return undefined;
}

/**
 * A plain object clones as its own enumerable properties, whatever they are called: one with
 * `nodeType` and `nodeName` keys or its own `Symbol.toStringTag` is data, not a DOM node or a
 * Promise.
 */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * For objects with a prototype: undefined when the clone algorithm copies it whole, a
 * description when it refuses it, null when its own properties decide (walk them).
 */
function describeSpecialObject(value: object, path: string): string | undefined | null {
  const tag = Object.prototype.toString.call(value);
  if (LEAF_TAGS.has(tag) || ArrayBuffer.isView(value)) return undefined;
  if (REFUSED_TAGS.has(tag) || isDomNode(value)) return `${path} (${describeType(value)})`;
  return null;
}

function walkValue(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (typeof value === 'object' && value !== null) return walkObject(value, path, seen);
  return findUncloneable(value, path);
}

// Objects the clone algorithm copies whole (no own properties to inspect).
const LEAF_TAGS = new Set([
  '[object Date]',
  '[object RegExp]',
  '[object ArrayBuffer]',
  '[object Blob]',
  '[object File]',
  '[object FileList]',
  '[object ImageData]',
  '[object ImageBitmap]',
  '[object Boolean]',
  '[object Number]',
  '[object String]',
  '[object BigInt]',
  '[object Error]',
  '[object DOMException]',
  '[object CryptoKey]',
]);
// Objects the clone algorithm throws on.
const REFUSED_TAGS = new Set([
  '[object Promise]',
  '[object WeakMap]',
  '[object WeakSet]',
  '[object WeakRef]',
  '[object Symbol]',
  '[object Window]',
  '[object AbortSignal]',
  '[object AbortController]',
  '[object Request]',
  '[object Response]',
  '[object WebSocket]',
  '[object BroadcastChannel]',
  '[object Generator]',
]);

function isDomNode(value: object): boolean {
  return (
    typeof (value as { nodeType?: unknown }).nodeType === 'number' &&
    typeof (value as { nodeName?: unknown }).nodeName === 'string'
  );
}
