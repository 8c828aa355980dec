import { describeError, describeValue } from './describe.ts';

/**
 * How deep a payload may nest. The structured clone algorithm recurses per level and overflows
 * the stack somewhere past a few thousand levels, in another tab or inside IndexedDB where the
 * error could not name the message; no real payload comes near this bound.
 */
export const MAX_PAYLOAD_DEPTH = 1000;

/**
 * Finds the first part of `value` that the structured clone algorithm (BroadcastChannel,
 * IndexedDB) would refuse, and returns a description like `payload.items[2].save (function)`;
 * undefined when the value is cloneable. Walking is much cheaper than `structuredClone` for the
 * small payloads a bus carries, and it names the offending path. It also refuses values nested
 * deeper than {@link MAX_PAYLOAD_DEPTH} and values whose reading throws (a throwing getter, a
 * revoked Proxy), naming the path where it threw. It never throws itself.
 *
 * A live Proxy reads like the object it wraps, so the walk cannot tell one; the structured clone
 * does (see `findCloneFailure`), and the bus runs it when an adapter clones messages.
 */
export function findUncloneable(value: unknown, path = 'payload'): string | undefined {
  const refusal = locateUncloneable(value, path);
  return refusal === undefined ? undefined : `${refusal.path} (${refusal.reason})`;
}

/** What a check refused: where in the value, and why. */
export interface Refusal {
  /** `payload.items[2].save`, `meta.onDone`… */
  readonly path: string;
  /** `function save`, `nested more than 1000 levels deep`… */
  readonly reason: string;
}

/** {@link findUncloneable}, with the path and the reason apart. */
export function locateUncloneable(value: unknown, path = 'payload'): Refusal | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return undefined;
    case 'function':
    case 'symbol':
      return { path, reason: describeValue(value) };
    default:
      if (value === null) return undefined;
      // Most payloads are small trees of plain objects and arrays: confirm that without building
      // a path string per property or a `seen` set, and walk in detail only when in doubt.
      if (isQuicklyPlain(value as object)) return undefined;
      return walk(value as object, path);
  }
}

/**
 * True for the commonest payload, a plain object of primitives (`{ id: 'o-1', qty: 3 }`), in one
 * small loop the compiler inlines into `publish`. False means "walk it", not "refused". An
 * enumerable property inherited from a polluted prototype also sends it to the walk, which looks
 * at own properties only. It may throw (a getter, a revoked Proxy): callers walk the value then.
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
// work on shared or cyclic references, which the quick check does not track, and its recursion.
const PLAIN_BUDGET = 256;

function isQuicklyPlain(value: object): boolean {
  try {
    return plainDataBudget(value, PLAIN_BUDGET) >= 0;
  } catch {
    // A getter threw or a Proxy was revoked: the detailed walk finds where and says so.
    return false;
  }
}

/**
 * Returns the budget left when `value` is plain data (arrays and plain objects down to
 * primitives that clone), or -1 when the detailed walk must decide. Never returns a budget for
 * something {@link walk} would refuse.
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

/** A value still to look at, and how to name it: the path is built only when something is refused. */
interface Pending {
  readonly value: unknown;
  readonly parent: Pending | undefined;
  /** `.key`, `[3]`, `.<key>`… appended to the parent's path. */
  readonly step: string;
  readonly depth: number;
}

function pathOf(pending: Pending, root: string): string {
  const steps: string[] = [];
  for (let at: Pending | undefined = pending; at !== undefined; at = at.parent) steps.push(at.step);
  return root + steps.reverse().join('');
}

/**
 * Depth-first over an explicit stack, so a deep value cannot overflow the call stack. Children are
 * pushed in reverse so the first offending value in reading order is the one reported.
 */
function walk(root: object, rootPath: string): Refusal | undefined {
  const seen = new Set<object>();
  const stack: Pending[] = [{ value: root, parent: undefined, step: '', depth: 0 }];
  while (stack.length > 0) {
    const pending = stack.pop()!;
    const { value } = pending;
    if (typeof value === 'function' || typeof value === 'symbol') {
      return { path: pathOf(pending, rootPath), reason: describeValue(value) };
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue; // cycles clone
    seen.add(value);
    if (pending.depth >= MAX_PAYLOAD_DEPTH) {
      return { path: pathOf(pending, rootPath), reason: `nested more than ${MAX_PAYLOAD_DEPTH} levels deep` };
    }
    // Reading a property can run code (a getter, a Proxy trap): `step` says which one threw.
    let step = '';
    try {
      const verdict = expand(value, pending, stack, (next) => {
        step = next;
      });
      if (verdict !== undefined) return { path: pathOf(pending, rootPath), reason: verdict };
    } catch (error) {
      return { path: pathOf(pending, rootPath) + step, reason: `reading it threw ${describeError(error)}` };
    }
  }
  return undefined;
}

/**
 * Pushes the children of `value` on the stack; returns why the value itself is refused, if it is.
 * `reading` is told each child's step before its value is read.
 */
function expand(value: object, parent: Pending, stack: Pending[], reading: (step: string) => void): string | undefined {
  const children: Pending[] = [];
  const depth = parent.depth + 1;
  const add = (child: unknown, step: string): void => {
    if (typeof child === 'object' ? child !== null : typeof child === 'function' || typeof child === 'symbol')
      children.push({ value: child, parent, step, depth });
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      reading(`[${i}]`);
      add(value[i], `[${i}]`);
    }
  } else {
    if (!isPlainObject(value)) {
      const tag = Object.prototype.toString.call(value);
      if (LEAF_TAGS.has(tag) || ArrayBuffer.isView(value)) return undefined;
      if (REFUSED_TAGS.has(tag) || isDomNode(value)) return describeValue(value);
      if (value instanceof Map) {
        for (const [key, item] of value) {
          add(key, '.<key>');
          add(item, `.get(${String(key)})`);
        }
      } else if (value instanceof Set) {
        for (const item of value) add(item, '.<item>');
      }
    }
    if (!(value instanceof Map) && !(value instanceof Set)) {
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        reading(`.${key}`);
        add((value as Record<string, unknown>)[key], `.${key}`);
      }
    }
  }
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
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
