/**
 * Readers for the payloads the views show. Messages come from other tabs, other builds and old
 * session files, so every field is checked before a view reads it: a reader returns the field,
 * or a {@link Malformed} naming the first field that is wrong.
 */

/** Why a payload could not be read: the field and what it should have been. */
export interface Malformed {
  readonly malformed: string;
}

/** A record of unknown fields, or undefined when `value` is not a plain object. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** True when a reader gave up. */
export function isMalformed(value: unknown): value is Malformed {
  return typeof value === 'object' && value !== null && 'malformed' in value;
}

type FieldKind = 'string' | 'number' | 'boolean' | 'string[]' | 'string?';
type FieldType<K extends FieldKind> = K extends 'string'
  ? string
  : K extends 'number'
    ? number
    : K extends 'boolean'
      ? boolean
      : K extends 'string[]'
        ? readonly string[]
        : string | undefined;

function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'string?':
      return value === undefined || typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

/**
 * Reads the named fields of `payload`, each of its kind; the first that does not fit makes the
 * whole payload malformed (`state: expected string, got 123`).
 */
export function readFields<const S extends Record<string, FieldKind>>(
  payload: unknown,
  shape: S,
): { -readonly [K in keyof S]: FieldType<S[K]> } | Malformed {
  const record = asRecord(payload);
  if (!record) return { malformed: `payload: expected an object, got ${describe(payload)}` };
  for (const [field, kind] of Object.entries(shape)) {
    if (!fits(kind, record[field]))
      return { malformed: `${field}: expected ${kind.replace('?', ' or nothing')}, got ${describe(record[field])}` };
  }
  return record as { -readonly [K in keyof S]: FieldType<S[K]> };
}

/** A short description of a value for a malformed-payload note: `123`, `an array`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  return String(value);
}
