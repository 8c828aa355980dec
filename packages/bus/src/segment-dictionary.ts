import { closeHole } from './linear-probing.ts';

/**
 * Numbers the literal segments of the patterns a matcher holds (`orders`, `created`…), so the
 * trie's edges are keyed by (node, segment number) and a walk compares integers. A topic's
 * segments are looked up once each, by a slice of the topic and the hash the scan computed, not
 * once per trie branch that reaches them; segments no pattern names come back as -1, and no edge
 * lookup is spent on them.
 *
 * Numbers are reference-counted (one reference per trie edge) and reused once free, so patterns
 * made per request (RPC reply topics) do not make the dictionary grow.
 */
export interface SegmentDictionary {
  /** Per slot: segment hash, segment number + 1 (0 marks an empty slot). */
  slots: Int32Array;
  mask: number;
  /** Per segment number: the segment, or undefined when the number is free. */
  readonly segments: Array<string | undefined>;
  /** Per segment number: how many trie edges use it. */
  references: Int32Array;
  readonly freeNumbers: number[];
  size: number;
}

const MIN_CAPACITY = 16;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash of an empty segment; a segment's hash is built from it with {@link hashStep}. */
export const EMPTY_HASH: number = FNV_OFFSET;

/** One step of FNV-1a, for callers that hash while they scan a topic for dots. */
export function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, FNV_PRIME);
}

/** FNV-1a over the characters of `text` from `start` to `end`. */
export function hashSegment(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Creates an empty dictionary. */
export function createSegmentDictionary(): SegmentDictionary {
  return {
    slots: new Int32Array(MIN_CAPACITY * 2),
    mask: MIN_CAPACITY - 1,
    segments: [],
    references: new Int32Array(MIN_CAPACITY),
    freeNumbers: [],
    size: 0,
  };
}

function home(hash: number, mask: number): number {
  const mixed = Math.imul(hash, 0x9e3779b1);
  return (mixed ^ (mixed >>> 16)) & mask;
}

/** The number of the segment `text.slice(start, end)` (whose hash is `hash`), or -1 when no pattern names it. */
export function findSegment(dictionary: SegmentDictionary, text: string, start: number, end: number, hash: number): number {
  const { slots, mask, segments } = dictionary;
  for (let i = home(hash, mask); ; i = (i + 1) & mask) {
    const number = slots[i * 2 + 1]! - 1;
    if (number < 0) return -1;
    if (slots[i * 2] === hash && sameSlice(segments[number]!, text, start, end)) return number;
  }
}

// A loop the compiler inlines; `startsWith(key, start)` was a builtin call per lookup.
function sameSlice(segment: string, text: string, start: number, end: number): boolean {
  if (segment.length !== end - start) return false;
  for (let k = 0; k < segment.length; k++) if (segment.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** Returns the number of `segment`, numbering it if new, and takes one reference to it. */
export function retainSegment(dictionary: SegmentDictionary, segment: string): number {
  const hash = hashSegment(segment, 0, segment.length);
  let number = findSegment(dictionary, segment, 0, segment.length, hash);
  if (number < 0) {
    if ((dictionary.size + 1) * 2 > dictionary.mask + 1) rehash(dictionary, (dictionary.mask + 1) * 2);
    number = dictionary.freeNumbers.pop() ?? dictionary.segments.length;
    if (number >= dictionary.references.length) {
      const grown = new Int32Array(dictionary.references.length * 2);
      grown.set(dictionary.references);
      dictionary.references = grown;
    }
    dictionary.segments[number] = segment;
    place(dictionary, hash, number);
    dictionary.size++;
  }
  dictionary.references[number]!++;
  return number;
}

/** Drops one reference to segment `number`; the last one frees the number for reuse. */
export function releaseSegment(dictionary: SegmentDictionary, number: number): void {
  if (--dictionary.references[number]! > 0) return;
  const segment = dictionary.segments[number]!;
  const { slots, mask } = dictionary;
  let i = home(hashSegment(segment, 0, segment.length), mask);
  while (slots[i * 2 + 1] !== number + 1) i = (i + 1) & mask;
  closeHole(slots, 2, 1, mask, i, (j) => home(slots[j * 2]!, mask));
  dictionary.segments[number] = undefined;
  dictionary.freeNumbers.push(number);
  dictionary.size--;
}

function place(dictionary: SegmentDictionary, hash: number, number: number): void {
  const { slots, mask } = dictionary;
  let i = home(hash, mask);
  while (slots[i * 2 + 1] !== 0) i = (i + 1) & mask;
  slots[i * 2] = hash;
  slots[i * 2 + 1] = number + 1;
}

function rehash(dictionary: SegmentDictionary, capacity: number): void {
  dictionary.slots = new Int32Array(capacity * 2);
  dictionary.mask = capacity - 1;
  dictionary.segments.forEach((segment, number) => {
    if (segment !== undefined) place(dictionary, hashSegment(segment, 0, segment.length), number);
  });
}
