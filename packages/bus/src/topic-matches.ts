import { assertPattern, assertTopic, MAX_TOPIC_LENGTH, SYSTEM_PREFIX } from './topic.ts';

// Plain topics and patterns in one regex test each (at most 32 segments; `#` last only); the
// detailed checks, with their errors, run for the rest, which is also where `$sys` is.
const PLAIN_TOPIC = /^[\w:-]+(?:\.[\w:-]+){0,31}$/;
const PLAIN_PATTERN = /^(?:#|(?:[\w:-]+|\+)(?:\.(?:[\w:-]+|\+)){0,30}(?:\.(?:[\w:-]+|\+|#))?)$/;

const DOT = 46;
const PLUS = 43;
const HASH = 35;

/**
 * True when `topic` matches `pattern` by the bus's rules: `+` is exactly one segment, `#` zero or
 * more trailing segments, and a pattern that starts with a wildcard never reaches `$sys.` topics
 * (as in `subscribe`). Throws a `TopicError` naming the rule when the pattern or the topic is
 * invalid.
 *
 * For places that only ask this question (a filter, a query); a bus routes with its trie.
 *
 * @example
 * import { topicMatches } from '@switchboard/bus';
 * topicMatches('orders.+', 'orders.created'); // true
 * topicMatches('orders.#', 'orders'); // true
 * topicMatches('#', '$sys.tab.joined'); // false
 */
export function topicMatches(pattern: string, topic: string): boolean {
  if (!isPlain(pattern, PLAIN_PATTERN)) assertPattern(pattern, 'topicMatches');
  if (!isPlain(topic, PLAIN_TOPIC)) assertTopic(topic, 'topicMatches', true);
  const first = pattern.charCodeAt(0);
  if ((first === PLUS || first === HASH) && (pattern.length === 1 || pattern.charCodeAt(1) === DOT)) {
    if (topic.startsWith(SYSTEM_PREFIX) && (topic.length === 4 || topic.charCodeAt(4) === DOT)) return false;
  }
  let p = 0;
  let t = 0;
  for (;;) {
    const patternEnd = endOfSegment(pattern, p);
    const wildcard = patternEnd - p === 1 ? pattern.charCodeAt(p) : 0;
    if (wildcard === HASH) return true;
    if (t > topic.length) return false;
    const topicEnd = endOfSegment(topic, t);
    if (wildcard !== PLUS && !sameSegment(pattern, p, patternEnd, topic, t, topicEnd)) return false;
    p = patternEnd + 1;
    t = topicEnd + 1;
    if (p > pattern.length) return t > topic.length;
  }
}

function endOfSegment(value: string, from: number): number {
  const dot = value.indexOf('.', from);
  return dot < 0 ? value.length : dot;
}

function sameSegment(a: string, aFrom: number, aEnd: number, b: string, bFrom: number, bEnd: number): boolean {
  if (aEnd - aFrom !== bEnd - bFrom) return false;
  for (let i = 0; i < aEnd - aFrom; i++) if (a.charCodeAt(aFrom + i) !== b.charCodeAt(bFrom + i)) return false;
  return true;
}

function isPlain(value: unknown, plain: RegExp): boolean {
  return typeof value === 'string' && value.length <= MAX_TOPIC_LENGTH && plain.test(value);
}
