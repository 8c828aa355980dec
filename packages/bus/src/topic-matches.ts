import {
  assertPattern,
  assertTopic,
  MAX_TOPIC_DEPTH,
  MAX_TOPIC_LENGTH,
  SEGMENT_CHARACTERS,
  SYSTEM_PREFIX,
} from './topic.ts';

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
  // The detailed checks (and their errors) only for what the one-pass check does not clear,
  // which is also where `$sys` is: filters call this once per message.
  if (!isPlain(pattern, true)) assertPattern(pattern, 'topicMatches');
  if (!isPlain(topic, false)) assertTopic(topic, 'topicMatches', true);
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

/**
 * One pass over a topic or pattern: within the limits, no empty segment, only segment characters
 * (and, in a pattern, `+` or a last `#` as whole segments). False means "check in detail".
 */
function isPlain(value: string, wildcards: boolean): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOPIC_LENGTH) return false;
  let segments = 1;
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    const code = i === value.length ? DOT : value.charCodeAt(i);
    if (code === DOT) {
      if (i === start) return false;
      if (i - start === 1 && wildcards) {
        const only = value.charCodeAt(start);
        if (only === HASH && i !== value.length) return false;
      }
      segments++;
      start = i + 1;
    } else if (!(code < 128 && SEGMENT_CHARACTERS[code] === 1)) {
      const whole = i === start && (i + 1 === value.length || value.charCodeAt(i + 1) === DOT);
      if (!(wildcards && whole && (code === PLUS || code === HASH))) return false;
    }
  }
  return segments - 1 <= MAX_TOPIC_DEPTH;
}
