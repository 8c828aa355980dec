import type { Message } from '@switchboard/bus';
import { MqttError } from './errors.ts';

/** Deepest value checked; deeper ones are refused rather than walked. */
const MAX_DEPTH = 64;

/**
 * Throws an `MqttError` (`not-encodable`) naming the topic and the path when the payload or meta
 * of a message bound for the broker would not arrive unchanged through JSON: only plain objects,
 * arrays, strings, finite numbers, booleans and null do (`undefined` only as the whole payload).
 */
export function assertEncodable(message: Message): void {
  const problem = message.payload === undefined ? undefined : (findProblem(message.payload, 'payload', 0) ?? undefined);
  const metaProblem = problem ?? findProblem(message.meta, 'meta', 0);
  if (metaProblem === undefined) return;
  throw new MqttError(
    'NOT_CLONEABLE',
    'not-encodable',
    `publish('${message.topic}'): ${metaProblem} cannot cross the MQTT broker as JSON; send plain data.`,
    { topic: message.topic },
  );
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
