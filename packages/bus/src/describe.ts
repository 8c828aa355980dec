/**
 * Names a value for an error message (`function save`, `Promise`, `symbol`) without ever
 * throwing: the value may be a revoked Proxy or have a throwing `constructor` getter.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${safely(() => value.name) || '(anonymous)'}`;
  if (typeof value !== 'object') return typeof value;
  const name = safely(() => Object.getPrototypeOf(value)?.constructor?.name as unknown);
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/** `TypeError: boom` for an error, the value's description otherwise; never throws. */
export function describeError(error: unknown): string {
  const text = safely(() => (error instanceof Error ? `${error.name}: ${error.message}` : undefined));
  return typeof text === 'string' ? text : describeValue(error);
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    // The value fights being described (a revoked Proxy): the caller falls back to a generic name.
    return undefined;
  }
}
