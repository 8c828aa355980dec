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
      return value === null ? undefined : walkObject(value as object, path, new Set());
  }
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
  const tag = Object.prototype.toString.call(value);
  if (LEAF_TAGS.has(tag) || ArrayBuffer.isView(value)) return undefined;
  if (REFUSED_TAGS.has(tag)) return `${path} (${describeType(value)})`;
  if (isDomNode(value)) return `${path} (${describeType(value)})`;
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
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const found = walkValue((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
    if (found) return found;
  }
  return undefined;
}

function walkValue(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (typeof value === 'object' && value !== null) return walkObject(value, path, seen);
  return findUncloneable(value, path);
}

// Objects the clone algorithm copies whole (no own properties to inspect).
const LEAF_TAGS = new Set([
  '[object Date]', '[object RegExp]', '[object ArrayBuffer]', '[object Blob]', '[object File]',
  '[object FileList]', '[object ImageData]', '[object ImageBitmap]', '[object Boolean]',
  '[object Number]', '[object String]', '[object BigInt]', '[object Error]', '[object DOMException]',
  '[object CryptoKey]',
]);
// Objects the clone algorithm throws on.
const REFUSED_TAGS = new Set([
  '[object Promise]', '[object WeakMap]', '[object WeakSet]', '[object WeakRef]', '[object Symbol]',
  '[object Window]', '[object AbortSignal]', '[object AbortController]', '[object Request]',
  '[object Response]', '[object WebSocket]', '[object BroadcastChannel]', '[object Generator]',
]);

function isDomNode(value: object): boolean {
  return typeof (value as { nodeType?: unknown }).nodeType === 'number' &&
    typeof (value as { nodeName?: unknown }).nodeName === 'string';
}
