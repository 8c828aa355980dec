import { TopicError } from './errors.ts';

/** Longest topic or pattern accepted, in characters. */
export const MAX_TOPIC_LENGTH = 256;
/** Most segments a topic or pattern may have. */
export const MAX_TOPIC_DEPTH = 32;
/** First segment of the runtime's own topics; apps cannot publish into it. */
export const SYSTEM_PREFIX = '$sys';

// A segment is 1+ of letters, digits, `_`, `-` or `:` (the colon lets ids like `order:42` be one segment).
const SEGMENT = /^[A-Za-z0-9_:-]+$/;

/**
 * The same alphabet as a table by char code (1 = allowed), for code that checks a topic while it
 * scans it anyway (the matcher), instead of running the regex per segment. Filled from the ranges
 * rather than by testing each code against `SEGMENT`: that compiled and ran the regex 128 times
 * while the module loaded, ~0.1 ms of a cold start.
 */
export const SEGMENT_CHARACTERS: Uint8Array = /* @__PURE__ */ segmentCharacters();

function segmentCharacters(): Uint8Array {
  const table = new Uint8Array(128);
  table.fill(1, 48, 58); // 0-9
  table.fill(1, 65, 91); // A-Z
  table.fill(1, 97, 123); // a-z
  table[95] = 1; // _
  table[58] = 1; // :
  table[45] = 1; // -
  return table;
}

/**
 * Checks a topic that is about to be published and throws a {@link TopicError} naming the rule it
 * broke. Wildcards are refused here: a published topic names one thing.
 */
export function assertTopic(topic: unknown, fn = 'publish', allowSystem = false): asserts topic is string {
  const segments = checkShape(topic, fn, 'INVALID_TOPIC');
  segments.forEach((segment, index) => {
    if (segment === '+' || segment === '#') {
      fail(
        'INVALID_TOPIC',
        topic as string,
        'no-wildcards',
        `${fn}('${topic}'): a published topic cannot contain the wildcard '${segment}'; wildcards belong in subscribe patterns.`,
      );
    }
    checkSegment(segment, index, topic as string, fn, 'INVALID_TOPIC');
  });
  if (!allowSystem && segments[0] === SYSTEM_PREFIX) {
    fail(
      'RESERVED_TOPIC',
      topic as string,
      'reserved-namespace',
      `${fn}('${topic}'): topics under '${SYSTEM_PREFIX}.' are reserved for Switchboard's own events; choose another first segment.`,
    );
  }
}

/** Checks a subscribe pattern (`+` = one segment, `#` = zero or more trailing segments). */
export function assertPattern(pattern: unknown, fn = 'subscribe'): asserts pattern is string {
  const segments = checkShape(pattern, fn, 'INVALID_PATTERN');
  segments.forEach((segment, index) => {
    if (segment === '+') return;
    if (segment === '#') {
      if (index !== segments.length - 1) {
        fail(
          'INVALID_PATTERN',
          pattern as string,
          'hash-last',
          `${fn}('${pattern}'): '#' may only be the last segment; use '+' for a single segment in the middle.`,
        );
      }
      return;
    }
    checkSegment(segment, index, pattern as string, fn, 'INVALID_PATTERN');
  });
}

function checkShape(value: unknown, fn: string, code: 'INVALID_TOPIC' | 'INVALID_PATTERN'): string[] {
  const what = code === 'INVALID_TOPIC' ? 'topic' : 'pattern';
  if (typeof value !== 'string') {
    fail(code, String(value), 'string', `${fn}(): the ${what} must be a string, got ${describeType(value)}.`);
  }
  if (value.length === 0) {
    fail(
      code,
      value,
      'non-empty',
      `${fn}(''): the ${what} is empty; use dot-separated segments like 'orders.created'.`,
    );
  }
  if (value.length > MAX_TOPIC_LENGTH) {
    fail(
      code,
      value,
      'max-length',
      `${fn}('${value.slice(0, 40)}…'): the ${what} is ${value.length} characters; the limit is ${MAX_TOPIC_LENGTH}.`,
    );
  }
  const segments = value.split('.');
  if (segments.length > MAX_TOPIC_DEPTH) {
    fail(
      code,
      value,
      'max-depth',
      `${fn}('${value}'): the ${what} has ${segments.length} segments; the limit is ${MAX_TOPIC_DEPTH}.`,
    );
  }
  return segments;
}

function checkSegment(
  segment: string,
  index: number,
  value: string,
  fn: string,
  code: 'INVALID_TOPIC' | 'INVALID_PATTERN',
): void {
  if (segment === '') {
    fail(code, value, 'empty-segment', `${fn}('${value}'): segment ${index + 1} is empty; remove the stray '.'.`);
  }
  if (index === 0 && segment === SYSTEM_PREFIX) return;
  if (!SEGMENT.test(segment)) {
    fail(
      code,
      value,
      'segment-characters',
      `${fn}('${value}'): segment '${segment}' may only contain letters, digits, '_', '-' and ':'.`,
    );
  }
}

function fail(
  code: 'INVALID_TOPIC' | 'INVALID_PATTERN' | 'RESERVED_TOPIC',
  value: string,
  rule: string,
  message: string,
): never {
  throw new TopicError(code, value, rule, message);
}

/** A short, readable name for a value's type, used in error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value !== 'object') return typeof value;
  const name = Object.getPrototypeOf(value)?.constructor?.name as string | undefined;
  return name ?? 'object';
}
