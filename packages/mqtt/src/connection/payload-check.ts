import type { Message } from '@switchboard/bus';

/** Deepest value checked; deeper ones are refused rather than walked. */
const MAX_DEPTH = 64;

/**
 * What keeps a message bound for the broker from arriving unchanged through JSON (the path and
 * what is there), or undefined: only plain objects, arrays, strings, finite numbers, booleans and
 * null do (`undefined` only as the whole payload). Checked by the connection tab before sending,
 * so that the tabs that never connect do not load it.
 */
export function encodingProblem(message: Message): string | undefined {
  const problem = message.payload === undefined ? undefined : findProblem(message.payload, 'payload', 0);
  const found = problem ?? findProblem(message.meta, 'meta', 0);
  return found === undefined
    ? undefined
    : `publish('${message.topic}'): ${found} cannot travel to the MQTT broker as JSON unchanged; send plain data (objects, arrays, strings, finite numbers, booleans, null).`;
}

function findProblem(value: unknown, path: string, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} (${value})`;
    case 'object': {
      if (value === null) return undefined;
      if (depth >= MAX_DEPTH) return `${path} (nested deeper than ${MAX_DEPTH})`;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = findProblem(value[i], `${path}[${i}]`, depth + 1);
          if (found !== undefined) return found;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return `${path} (${(value as { constructor?: { name?: string } }).constructor?.name ?? 'object'})`;
      }
      for (const key in value) {
        const found = findProblem((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    default:
      return `${path} (${typeof value})`;
  }
}
