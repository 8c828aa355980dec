import { MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SEGMENT_CHARACTERS } from './topic.ts';

/**
 * One pass over a topic's characters finds its segments and gives each a key of two integers;
 * the trie finds its edges by those keys. A segment of up to 8 characters is its own key (its
 * character codes, 8 bits each: segment characters are ASCII), so finding an edge also proves the
 * segment is the one it names, with no string read (comparing labels' characters cost ~30% of a
 * walk at 10,000 subscriptions). A longer segment's key is its hash and length, and the edge
 * found is compared with the label it keeps.
 */
export interface TopicReading {
  /** Per segment, its key's two integers. Room for every segment of the topic. */
  segmentKeys: Int32Array;
  /** Per segment, where it starts; after the last, the topic's length + 1 (so segment i ends at `starts[i + 1] - 1`). */
  segmentStarts: Int32Array;
  /** Segments in the topic. */
  count: number;
}

/** The second integer of a long segment's key: this bit and its length (the first is its hash). */
export const LONG: number = 0x80000000 | 0;

/** Room in `reading` for every segment `topic` can have. */
export function makeRoom(reading: TopicReading, topic: string): void {
  if (topic.length < reading.segmentStarts.length - 1) return;
  reading.segmentKeys = new Int32Array(2 * (topic.length + 1));
  reading.segmentStarts = new Int32Array(topic.length + 2);
}

/**
 * Writes the key of the segment of `text` from `start` to `end` into `keys` at `at` and `at + 1`,
 * as {@link readTopic} does for a topic's segments.
 */
export function keyOf(text: string, start: number, end: number, keys: Int32Array, at: number): void {
  let low = 0;
  let high = 0;
  let wide = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    high = (high << 8) | (low >>> 24);
    low = (low << 8) | code;
    wide |= code >> 7;
  }
  writeKey(text, start, end, low, high, wide, keys, at);
}

/**
 * The key of a segment whose last 8 character codes are `low` and `high` (8 bits each, the last
 * in the lowest bits) and `wide` not 0 if one of them is not ASCII: those codes themselves when
 * that is all of it, else its hash and length.
 */
export function writeKey(
  text: string,
  start: number,
  end: number,
  low: number,
  high: number,
  wide: number,
  keys: Int32Array,
  at: number,
): void {
  if (end - start <= 8 && wide === 0) {
    keys[at] = low;
    keys[at + 1] = high;
    return;
  }
  let hash = 0x811c9dc5 | 0; // FNV-1a
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  keys[at] = hash;
  keys[at + 1] = LONG | (end - start);
}

/**
 * Reads `topic` (with room for it, see {@link makeRoom}) into `reading` and tells whether it is
 * plain (see `TopicMatcher.scan`).
 */
export function readTopic(topic: string, reading: TopicReading): boolean {
  // The loop spells its constants as literals: read from module scope they are values of unknown
  // type to the compiler, and a topic took ~10% longer.
  const allowed = SEGMENT_CHARACTERS;
  const { segmentKeys, segmentStarts } = reading;
  const length = topic.length;
  let plain = length > 0 && length <= MAX_TOPIC_LENGTH;
  // The last 8 character codes of the segment so far, and whether one was not ASCII.
  let low = 0;
  let high = 0;
  let wide = 0;
  let start = 0;
  let count = 0;
  for (let i = 0; i < length; i++) {
    const code = topic.charCodeAt(i);
    if (code === 46 /* . */) {
      if (i === start) plain = false; // an empty segment
      segmentStarts[count] = start;
      writeKey(topic, start, i, low, high, wide, segmentKeys, 2 * count++);
      low = 0;
      high = 0;
      wide = 0;
      start = i + 1;
      continue;
    }
    high = (high << 8) | (low >>> 24);
    low = (low << 8) | code;
    if (code >= 128 || allowed[code] === 0) {
      plain = false;
      wide |= code >> 7;
    }
  }
  if (start === length) plain = false; // empty, or ends with a dot
  segmentStarts[count] = start;
  writeKey(topic, start, length, low, high, wide, segmentKeys, 2 * count++);
  segmentStarts[count] = length + 1;
  if (count > MAX_TOPIC_DEPTH) plain = false;
  reading.count = count;
  return plain;
}

/**
 * Whether the segment of `text` from `start` to `end` is the one of `label` that starts at
 * `labelStart` (a label is a pattern's segment, read in the pattern itself).
 */
export function sameSegment(label: string, labelStart: number, text: string, start: number, end: number): boolean {
  const length = end - start;
  for (let i = 0; i < length; i++) {
    // Past its segment the label has a dot or nothing, never a segment character.
    if (label.charCodeAt(labelStart + i) !== text.charCodeAt(start + i)) return false;
  }
  const after = labelStart + length;
  return after === label.length || label.charCodeAt(after) === 46 /* . */;
}
