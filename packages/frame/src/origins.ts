import { SwitchboardError } from '@switchboard/bus';

/** One origin (`'https://orders.example.com'`) or several; never `'*'`. */
export type OriginList = string | readonly string[];

/**
 * Checks the origins a side of the bridge trusts and returns them as a frozen list. Each must be
 * a serialized origin, exactly as a browser reports `event.origin`: scheme, host and port, no
 * path, no trailing slash. `'*'` and `'null'` are refused: either would let any page speak.
 */
export function pinOrigins(value: unknown, fn: string, option: string): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid(
      `${fn}: ${option} must be an origin such as 'https://orders.example.com' or a non-empty list of them.`,
    );
  }
  for (const origin of list) {
    if (origin === '*') {
      throw invalid(
        `${fn}: ${option} '*' would accept messages from any page; list the origins you trust, e.g. 'https://orders.example.com'.`,
      );
    }
    if (origin === 'null') {
      throw invalid(
        `${fn}: ${option} 'null' is the origin of every sandboxed or data: document, so it proves nothing; serve the frame from an origin of its own.`,
      );
    }
    if (typeof origin !== 'string' || serialize(origin) !== origin) {
      const hint = typeof origin === 'string' && serialize(origin) ? `; did you mean '${serialize(origin)}'?` : '.';
      throw invalid(
        `${fn}: ${option} ${JSON.stringify(origin) ?? String(origin)} is not an origin (scheme://host[:port], no path)${hint}`,
      );
    }
  }
  return Object.freeze([...(list as string[])]);
}

/** The origin a URL belongs to, or undefined when it is not a URL with a host. */
function serialize(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    // Not a URL at all: the caller's error names the value.
    return undefined;
  }
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('INVALID_OPTION', message);
}
