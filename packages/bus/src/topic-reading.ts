import { MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SEGMENT_CHARACTERS } from './topic.ts';

/**
 * One pass over a topic's characters finds its segments and hashes each; the trie looks its
 * edges up by those hashes and compares characters only where a hash is there. So a topic is
 * read once, segments no pattern names cost nothing but their hash, and no string is made.
 */
export interface TopicReading {
  /** Per segment, the FNV-1a hash of its characters. Room for every segment of the topic. */
  segmentHashes: Int32Array;
  /** Per segment, where it starts; after the last, the topic's length + 1 (so segment i ends at `starts[i + 1] - 1`). */
  segmentStarts: Int32Array;
  /** Segments in the topic. */
  count: number;
}

/** FNV-1a's offset basis; a segment's hash starts from it and takes each character in turn. */
export const HASH_START = 0x811c9dc5 | 0;

/** The hash of `text`'s characters from `start` to `end`, as {@link readTopic} computes it. */
export function hashOf(text: string, start: number, end: number): number {
  let hash = HASH_START;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** Room in `reading` for every segment `topic` can have. */
export function makeRoom(reading: TopicReading, topic: string): void {
  if (topic.length < reading.segmentHashes.length) return;
  reading.segmentHashes = new Int32Array(topic.length + 1);
  reading.segmentStarts = new Int32Array(topic.length + 2);
}

/**
 * Reads `topic` (with room for it, see {@link makeRoom}) into `reading` and tells whether it is
 * plain (see `TopicMatcher.scan`).
 */
export function readTopic(topic: string, reading: TopicReading): boolean {
  // The loop spells its constants as literals: read from module scope they are values of unknown
  // type to the compiler, and a topic took ~10% longer.
  const allowed = SEGMENT_CHARACTERS;
  const { segmentHashes, segmentStarts } = reading;
  const length = topic.length;
  let plain = length > 0 && length <= MAX_TOPIC_LENGTH;
  let hash = 0x811c9dc5 | 0;
  let start = 0;
  let count = 0;
  for (let i = 0; i < length; i++) {
    const code = topic.charCodeAt(i);
    if (code === 46 /* . */) {
      if (i === start) plain = false; // an empty segment
      segmentStarts[count] = start;
      segmentHashes[count++] = hash;
      hash = 0x811c9dc5 | 0;
      start = i + 1;
      continue;
    }
    if (code >= 128 || allowed[code] === 0) plain = false;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  if (start === length) plain = false; // empty, or ends with a dot
  segmentStarts[count] = start;
  segmentHashes[count++] = hash;
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
