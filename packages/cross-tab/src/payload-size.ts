/**
 * Estimates how many bytes a value takes once structured-cloned (roughly its JSON size: one byte
 * per string character, 8 per number). It stops counting as soon as `limit` is passed, so a huge
 * payload costs no more to refuse than a payload of the limit's size. Values the clone algorithm
 * refuses are not judged here (the bus checks them); functions and symbols count as 0.
 *
 * @example
 * import { estimatePayloadBytes } from '@switchboard/cross-tab';
 * estimatePayloadBytes({ id: 'o1', qty: 2 }); // 27
 */
export function estimatePayloadBytes(value: unknown, limit: number = Number.POSITIVE_INFINITY): number {
  // The commonest payload, a plain object of primitives, is counted without the walk's stack.
  if (typeof value === 'object' && value !== null && (value as { constructor?: unknown }).constructor === Object) {
    const bytes = flatObjectBytes(value);
    if (bytes >= 0) return bytes;
  }
  // Most payloads are one flat object: the set of seen objects is only made for a second one.
  let first: object | undefined;
  let seen: Set<object> | undefined;
  const stack: unknown[] = [value];
  let bytes = 0;
  while (stack.length > 0 && bytes <= limit) {
    const item = stack.pop();
    switch (typeof item) {
      case 'string':
        bytes += item.length + 2;
        continue;
      case 'number':
      case 'bigint':
        bytes += 8;
        continue;
      case 'boolean':
        bytes += 4;
        continue;
      case 'object':
        break;
      default:
        continue;
    }
    if (item === null) {
      bytes += 4;
      continue;
    }
    // Cycles and shared references are cloned once.
    if (first === undefined) first = item;
    else if (item === first) continue;
    else {
      seen ??= new Set();
      if (seen.has(item)) continue;
      seen.add(item);
    }
    bytes += 2;
    if (ArrayBuffer.isView(item)) bytes += item.byteLength;
    else if (item instanceof ArrayBuffer) bytes += item.byteLength;
    else if (typeof Blob === 'function' && item instanceof Blob) bytes += item.size;
    else if (item instanceof Date) bytes += 8;
    else if (item instanceof Map) {
      for (const [key, entry] of item) stack.push(key, entry);
    } else if (item instanceof Set) {
      for (const entry of item) stack.push(entry);
    } else if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) stack.push(item[i]);
      bytes += item.length;
    } else {
      for (const key in item) {
        if (!Object.hasOwn(item, key)) continue;
        bytes += key.length + 4;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return bytes;
}

/** An object with no own keys, for {@link inheritsEnumerable}. */
const NOTHING_OWN: object = Object.freeze({});

/**
 * True when someone made a property of Object.prototype enumerable. Over one shared empty object:
 * a new `{}` per call was an allocation per message, several of a burst's collections.
 */
export function inheritsEnumerable(): boolean {
  for (const _ in NOTHING_OWN) return true;
  return false;
}

/** What the walk counts for a plain object of primitives, or -1 when it holds anything else. */
function flatObjectBytes(object: object): number {
  // for-in also lists enumerable keys of a polluted Object.prototype, which the walk skips.
  if (inheritsEnumerable()) return -1;
  let bytes = 2;
  for (const key in object) {
    const item = (object as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) return -1;
    bytes += propertyBytes(key, item);
  }
  return bytes;
}

/** What the walk counts for a property of a plain object whose value is not an object. */
function propertyBytes(key: string, item: unknown): number {
  const bytes = bareValueBytes(key, item);
  // A function or a symbol: the walk counts its key alone.
  return bytes < 0 ? key.length + 4 : bytes;
}

/**
 * What the walk counts for a property whose value can travel bare (a primitive that clones), or
 * -1 for an object, a function or a symbol. One `typeof` both refuses and counts: the check of
 * every publish runs it per property, and a test and a count apart made that check ~15% dearer.
 */
export function bareValueBytes(key: string, item: unknown): number {
  switch (typeof item) {
    case 'string':
      return key.length + 6 + item.length;
    case 'number':
    case 'bigint':
      return key.length + 12;
    case 'boolean':
      return key.length + 8;
    case 'undefined':
      return key.length + 4;
    case 'object':
      return item === null ? key.length + 8 : -1;
    default:
      return -1;
  }
}

/** `1048576` -> `'1 MiB'`, for error messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
