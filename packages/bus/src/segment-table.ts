import { homeOf, insert, remove, type IntTable } from './int-table.ts';
import { MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SEGMENT_CHARACTERS } from './topic.ts';

/**
 * Numbers the literal segments of the patterns a matcher holds (`orders`, `created`…), so the
 * trie's edges are keyed by (node, segment number) and a walk compares integers.
 *
 * A hash table of the segments, keyed by a hash the topic's reading computes while it looks for
 * the dots: a segment costs one probe, and a compare of its characters only when its hash is
 * there. Each segment is stored once, as the string a pattern named it with, so a segment costs
 * its string and a few integers (a reply topic's UUID ~70 bytes; a character automaton spent ~0.85
 * KiB on one). The entries live in the trie's table of edges, under a tag of their own. Numbers
 * are reference-counted and reused, so patterns made per request do not make the table grow.
 */
export interface SegmentTable {
  /** Holds (SEGMENT_TAG, hash, number) per segment; shared with the trie's edges. */
  readonly table: IntTable;
  /** Per segment number: the segment, or undefined when the number is free. */
  readonly segments: Array<string | undefined>;
  /** Per segment number: its hash, and how many trie edges use it. */
  hashes: Int32Array;
  references: Int32Array;
  readonly freeNumbers: number[];
}

/** The tag of a segment's entry in the table (edges' tags are parent + 1, never negative). */
const SEGMENT_TAG = -1;

/** Creates an empty segment table whose entries go into `table`. */
export function createSegmentTable(table: IntTable): SegmentTable {
  return { table, segments: [], hashes: new Int32Array(16), references: new Int32Array(16), freeNumbers: [] };
}

/** What {@link readTopic} learns about a topic. */
export interface TopicReading {
  /** Per segment: its number, or -1 when no pattern names it. Room for every segment of the topic. */
  segmentNumbers: Int32Array;
  /** Segments in the topic. */
  count: number;
}

/** The number of the segment `text.slice(start, end)` (whose FNV-1a hash is `hash`), or -1. */
export function findSegment(segments: SegmentTable, text: string, start: number, end: number, hash: number): number {
  const { slots, mask } = segments.table;
  for (let i = homeOf(SEGMENT_TAG, hash, mask); ; i = (i + 1) & mask) {
    const tag = slots[3 * i]!;
    if (tag === 0) return -1;
    if (tag === SEGMENT_TAG && slots[3 * i + 1] === hash) {
      const number = slots[3 * i + 2]!;
      if (sameText(segments.segments[number]!, text, start, end)) return number;
    }
  }
}

function sameText(segment: string, text: string, start: number, end: number): boolean {
  if (segment.length !== end - start) return false;
  for (let i = 0; i < segment.length; i++) if (segment.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Reads `topic` once, character by character: where the dots are, each segment's number, and
 * whether the topic is plain (see `TopicMatcher.scan`). Writes the first two into `reading`;
 * returns the third.
 */
export function readTopic(segments: SegmentTable, topic: string, reading: TopicReading): boolean {
  // The loop spells its constants as literals: read from module scope they are values of unknown
  // type to the compiler, and a topic took ~10% longer.
  const allowed = SEGMENT_CHARACTERS;
  const { segmentNumbers } = reading;
  const length = topic.length;
  let plain = length > 0 && length <= MAX_TOPIC_LENGTH;
  let hash = 0x811c9dc5 | 0;
  let start = 0;
  let count = 0;
  for (let i = 0; i < length; i++) {
    const code = topic.charCodeAt(i);
    if (code === 46 /* . */) {
      if (i === start) plain = false; // an empty segment
      segmentNumbers[count++] = findSegment(segments, topic, start, i, hash);
      hash = 0x811c9dc5 | 0;
      start = i + 1;
      continue;
    }
    if (code >= 128 || allowed[code] === 0) plain = false;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  if (start === length) plain = false; // empty, or ends with a dot
  segmentNumbers[count++] = findSegment(segments, topic, start, length, hash);
  if (count > MAX_TOPIC_DEPTH) plain = false;
  reading.count = count;
  return plain;
}

/**
 * Returns the number of the segment `text.slice(start, end)` (whose hash is `hash`), numbering
 * it if new, and takes one reference to it.
 */
export function retainSegment(segments: SegmentTable, text: string, start: number, end: number, hash: number): number {
  let number = findSegment(segments, text, start, end, hash);
  if (number < 0) {
    number = segments.freeNumbers.pop() ?? segments.segments.length;
    if (number >= segments.references.length) {
      segments.hashes = grown(segments.hashes, 2 * number);
      segments.references = grown(segments.references, 2 * number);
    }
    segments.segments[number] = text.slice(start, end);
    segments.hashes[number] = hash;
    insert(segments.table, SEGMENT_TAG, hash, number);
  }
  segments.references[number]!++;
  return number;
}

/** Drops one reference to segment `number`; the last one frees the number and its entry. */
export function releaseSegment(segments: SegmentTable, number: number): void {
  if (--segments.references[number]! > 0) return;
  remove(segments.table, SEGMENT_TAG, segments.hashes[number]!, number);
  segments.segments[number] = undefined;
  segments.freeNumbers.push(number);
}

function grown(array: Int32Array, length: number): Int32Array {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}
