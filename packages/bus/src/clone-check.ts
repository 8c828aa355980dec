import { MAX_PAYLOAD_DEPTH, type Refusal } from './cloneable.ts';
import { describeError } from './describe.ts';

/**
 * Runs the structured clone algorithm on `value`, as BroadcastChannel and IndexedDB will, and
 * returns what it refused (path `payload.user`, reason `a Proxy or another object only this tab
 * can hold: DataCloneError: …`); undefined when it clones. Unlike `findUncloneable` it sees
 * Proxies, at the price of a full copy: the bus runs it only when an adapter sends or stores
 * messages. On failure it searches the value for the innermost part that does not clone, so the
 * description names a path, not just the payload. It never throws.
 */
export function findCloneFailure(value: unknown, path = 'payload'): Refusal | undefined {
  let error = cloneError(value);
  if (error === undefined) return undefined;
  let at = value;
  let atPath = path;
  // Each level copies the subtree again: bounded, and spent only on a refused message.
  for (let depth = 0; depth < MAX_PAYLOAD_DEPTH && !(error instanceof RangeError); depth++) {
    const child = firstFailingChild(at, atPath);
    if (child === undefined) break;
    ({ value: at, path: atPath, error } = child);
  }
  if (error instanceof RangeError) return { path: atPath, reason: `too deep to clone: ${describeError(error)}` };
  return { path: atPath, reason: `a Proxy or another object only this tab can hold: ${describeError(error)}` };
}

function cloneError(value: unknown): unknown {
  try {
    structuredClone(value);
    return undefined;
  } catch (error) {
    return error;
  }
}

interface Failure {
  readonly value: unknown;
  readonly path: string;
  readonly error: unknown;
}

/** The first own property or item of `value` that does not clone on its own. */
function firstFailingChild(value: unknown, path: string): Failure | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    // Maps and Sets are named as a whole: a Proxy inside one is rare enough.
    const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
    for (const key of keys) {
      const child = (value as Record<string | number, unknown>)[key];
      const error = cloneError(child);
      if (error !== undefined)
        return { value: child, path: typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`, error };
    }
    return undefined;
  } catch {
    // Reading its parts threw (a Proxy trap): the value itself is the culprit.
    return undefined;
  }
}
