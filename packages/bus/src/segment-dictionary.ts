import { MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SEGMENT_CHARACTERS } from './topic.ts';

/**
 * Numbers the literal segments of the patterns a matcher holds (`orders`, `created`…), so the
 * trie's edges are keyed by (node, segment number) and a walk compares integers.
 *
 * The segments are kept as an automaton over characters (a trie of them): the matcher's scan
 * steps it once per character of the topic while it looks for the dots, and at each dot the
 * state it reached names the segment, or none. A topic's characters are read once, with no
 * hashing, and no segment is compared a second time; a hash table of segments read every
 * segment twice (hash, then compare), and a topic's reading took ~1.5x as long.
 *
 * A state with one child keeps it inline; a state with several has a row indexed by character
 * class. Numbers, states and rows are reference-counted and reused once free, so patterns made per
 * request (RPC reply topics) do not make the dictionary grow.
 */
export interface SegmentDictionary {
  /** Per state, {@link STRIDE} integers: only child's class, only child, row offset + 1, segment number + 1. */
  states: Int32Array;
  /** Per state: children, and live segments whose path runs through it (0: the state is free). */
  childCounts: Int32Array;
  paths: Int32Array;
  stateCount: number;
  readonly freeStates: number[];
  /** Rows of {@link CLASSES} child states, for states with more than one child. */
  rows: Int32Array;
  rowCount: number;
  readonly freeRows: number[];
  /** Per segment number: the segment, or undefined when the number is free. */
  readonly segments: Array<string | undefined>;
  /** Per segment number: how many trie edges use it. */
  references: Int32Array;
  readonly freeNumbers: number[];
  size: number;
}

/** No segment starts this way. Every step from it stays here. */
const DEAD_STATE = 0;
/** Where each segment starts. */
const START_STATE = 1;

const STRIDE = 4;
const ONLY_CLASS = 0;
const ONLY_CHILD = 1;
const ROW = 2;
const SEGMENT = 3;

/** The class of `$`: allowed in a pattern's `$sys`, never in a topic an app publishes. */
const DOLLAR_CLASS = 66;
/** The class of a character no segment may hold (non-ASCII ones included). */
const NO_CLASS = 255;

/**
 * Character classes: 1-65 for the characters a segment may hold, {@link DOLLAR_CLASS} for `$`
 * (of `$sys`), {@link NO_CLASS} for every other character, which no segment a pattern names can
 * contain. Both special classes are the highest, so the scan tells a plain character with one test.
 */
const CHARACTER_CLASSES: Uint8Array = /* @__PURE__ */ (() => {
  const classes = new Uint8Array(128).fill(NO_CLASS);
  let next = 1;
  for (let code = 0; code < 128; code++) if (SEGMENT_CHARACTERS[code] === 1) classes[code] = next++;
  classes[36 /* $ */] = DOLLAR_CLASS; // above the segment characters, 1-65
  return classes;
})();
const CLASSES = DOLLAR_CLASS + 1;

/** Creates an empty dictionary. */
export function createSegmentDictionary(): SegmentDictionary {
  return {
    states: new Int32Array(16 * STRIDE),
    childCounts: new Int32Array(16),
    paths: new Int32Array(16),
    stateCount: START_STATE + 1,
    freeStates: [],
    rows: new Int32Array(4 * CLASSES),
    rowCount: 0,
    freeRows: [],
    segments: [],
    references: new Int32Array(16),
    freeNumbers: [],
    size: 0,
  };
}

/** The state reached from `state` by a character of class `characterClass` (1 or more). */
function nextState(dictionary: SegmentDictionary, state: number, characterClass: number): number {
  const { states } = dictionary;
  const at = state * STRIDE;
  if (states[at + ONLY_CLASS] === characterClass) return states[at + ONLY_CHILD]!;
  const row = states[at + ROW]!;
  return row === 0 ? DEAD_STATE : dictionary.rows[row - 1 + characterClass]!;
}

/** The number of the segment that ends at `state`, or -1 when none does. */
function segmentAt(dictionary: SegmentDictionary, state: number): number {
  return dictionary.states[state * STRIDE + SEGMENT]! - 1;
}

/** What {@link readTopic} learns about a topic. */
export interface TopicReading {
  /** Per segment: its number, or -1 when no pattern names it. Room for every segment of the topic. */
  segmentNumbers: Int32Array;
  /** Segments in the topic. */
  count: number;
  /** FNV-1a of the topic's characters, for the matcher's topic cache. */
  topicHash: number;
}

/**
 * Reads `topic` once, character by character: where the dots are, each segment's number (the
 * state the automaton reached at the dot), the topic's hash, and whether the topic is plain (see
 * `TopicMatcher.scan`). Writes the first three into `reading`; returns the fourth.
 */
export function readTopic(dictionary: SegmentDictionary, topic: string, reading: TopicReading): boolean {
  // The loop spells its constants as literals (4 = STRIDE, 3 = SEGMENT, 1 = START_STATE,
  // 0 = DEAD_STATE, 66 = DOLLAR_CLASS, 255 = NO_CLASS; the tests fail if they drift). Read from
  // module scope they are values of unknown type to the compiler, and a topic took ~10% longer.
  const classes = CHARACTER_CLASSES;
  const { segmentNumbers } = reading;
  const { states } = dictionary;
  const length = topic.length;
  let plain = length > 0 && length <= MAX_TOPIC_LENGTH;
  let segmentStart = 0;
  let state = 1;
  let hash = 0x811c9dc5 | 0; // FNV-1a
  let count = 0;
  for (let i = 0; i < length; i++) {
    const code = topic.charCodeAt(i);
    hash = Math.imul(hash ^ code, 0x01000193);
    if (code === 46 /* . */) {
      if (i === segmentStart) plain = false;
      segmentNumbers[count++] = states[state * 4 + 3]! - 1;
      state = 1;
      segmentStart = i + 1;
      continue;
    }
    const characterClass = code < 128 ? classes[code]! : 255;
    if (characterClass >= 66) {
      plain = false;
      if (characterClass === 255) {
        state = 0;
        continue;
      }
    }
    state = nextState(dictionary, state, characterClass);
  }
  if (segmentStart === length || count >= MAX_TOPIC_DEPTH) plain = false;
  segmentNumbers[count++] = states[state * 4 + 3]! - 1;
  reading.count = count;
  reading.topicHash = hash;
  return plain;
}

/** The number of `segment`, or -1 when no pattern names it. */
export function findSegment(dictionary: SegmentDictionary, segment: string): number {
  let state = START_STATE;
  for (let i = 0; i < segment.length && state !== DEAD_STATE; i++) {
    const characterClass = classOf(segment.charCodeAt(i));
    state = characterClass === NO_CLASS ? DEAD_STATE : nextState(dictionary, state, characterClass);
  }
  return segmentAt(dictionary, state); // the start state ends no segment: '' is -1 too
}

function classOf(code: number): number {
  return code < 128 ? CHARACTER_CLASSES[code]! : NO_CLASS;
}

/** Returns the number of `segment`, numbering it if new, and takes one reference to it. */
export function retainSegment(dictionary: SegmentDictionary, segment: string): number {
  let number = findSegment(dictionary, segment);
  if (number < 0) {
    assertNameable(segment);
    number = dictionary.freeNumbers.pop() ?? dictionary.segments.length;
    if (number >= dictionary.references.length) dictionary.references = grown(dictionary.references, number + 1);
    dictionary.segments[number] = segment;
    let state = START_STATE;
    for (let i = 0; i < segment.length; i++) {
      const characterClass = classOf(segment.charCodeAt(i));
      let child = nextState(dictionary, state, characterClass);
      if (child === DEAD_STATE) {
        child = newState(dictionary);
        addChild(dictionary, state, characterClass, child);
      }
      dictionary.paths[child]!++;
      state = child;
    }
    dictionary.states[state * STRIDE + SEGMENT] = number + 1;
    dictionary.size++;
  }
  dictionary.references[number]!++;
  return number;
}

// Patterns are validated before they reach the matcher; this guards the automaton itself.
function assertNameable(segment: string): void {
  let nameable = segment.length > 0;
  for (let i = 0; i < segment.length; i++) if (classOf(segment.charCodeAt(i)) === NO_CLASS) nameable = false;
  if (!nameable) throw new Error(`Switchboard: '${segment}' is not a valid pattern segment; validate patterns first (assertPattern).`);
}

/** Drops one reference to segment `number`; the last one frees the number and its states for reuse. */
export function releaseSegment(dictionary: SegmentDictionary, number: number): void {
  if (--dictionary.references[number]! > 0) return;
  const segment = dictionary.segments[number]!;
  const path = [START_STATE];
  for (let i = 0; i < segment.length; i++) {
    path.push(nextState(dictionary, path[i]!, classOf(segment.charCodeAt(i))));
  }
  dictionary.states[path[segment.length]! * STRIDE + SEGMENT] = 0;
  for (let i = segment.length; i > 0; i--) {
    const state = path[i]!;
    if (--dictionary.paths[state]! > 0) continue;
    removeChild(dictionary, path[i - 1]!, classOf(segment.charCodeAt(i - 1)));
    dictionary.freeStates.push(state);
  }
  dictionary.segments[number] = undefined;
  dictionary.freeNumbers.push(number);
  dictionary.size--;
}

function newState(dictionary: SegmentDictionary): number {
  const state = dictionary.freeStates.pop() ?? dictionary.stateCount++;
  if (state >= dictionary.paths.length) {
    const length = dictionary.paths.length * 2;
    dictionary.states = grown(dictionary.states, length * STRIDE);
    dictionary.childCounts = grown(dictionary.childCounts, length);
    dictionary.paths = grown(dictionary.paths, length);
  }
  return state; // a free state was left zeroed: no children, no segment, no paths
}

function addChild(dictionary: SegmentDictionary, state: number, characterClass: number, child: number): void {
  const { states } = dictionary;
  const at = state * STRIDE;
  const children = dictionary.childCounts[state]!++;
  if (children === 0) {
    states[at + ONLY_CLASS] = characterClass;
    states[at + ONLY_CHILD] = child;
    return;
  }
  if (children === 1) {
    // A second child: both move into a row.
    const row = newRow(dictionary);
    dictionary.rows[row + states[at + ONLY_CLASS]!] = states[at + ONLY_CHILD]!;
    states[at + ONLY_CLASS] = 0;
    states[at + ONLY_CHILD] = 0;
    states[at + ROW] = row + 1;
  }
  dictionary.rows[states[at + ROW]! - 1 + characterClass] = child;
}

function removeChild(dictionary: SegmentDictionary, state: number, characterClass: number): void {
  const { states, rows } = dictionary;
  const at = state * STRIDE;
  const children = --dictionary.childCounts[state]!;
  if (states[at + ROW] === 0) {
    states[at + ONLY_CLASS] = 0;
    states[at + ONLY_CHILD] = 0;
    return;
  }
  const row = states[at + ROW]! - 1;
  rows[row + characterClass] = 0;
  if (children > 1) return;
  // One child left: it moves back inline and the row is freed.
  for (let other = 1; other < CLASSES; other++) {
    if (rows[row + other] === 0) continue;
    states[at + ONLY_CLASS] = other;
    states[at + ONLY_CHILD] = rows[row + other]!;
    rows[row + other] = 0;
    break;
  }
  states[at + ROW] = 0;
  dictionary.freeRows.push(row);
}

function newRow(dictionary: SegmentDictionary): number {
  const free = dictionary.freeRows.pop();
  if (free !== undefined) return free;
  const row = dictionary.rowCount++ * CLASSES;
  if (row + CLASSES > dictionary.rows.length) dictionary.rows = grown(dictionary.rows, dictionary.rows.length * 2);
  return row;
}

function grown(array: Int32Array, length: number): Int32Array {
  const bigger = new Int32Array(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}
