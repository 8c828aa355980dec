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
 * The automaton is a double array. A state is an index, its base; its step on character class
 * `c` sits in slot `base + c`, and counts only when that slot's owner is the state. The states'
 * slots interleave in one array, so a step is one addition and two loads side by side. (A layout
 * with a row per branching state and the only child of others inline took two loads one after
 * the other per character: ~20% longer to read a topic, and ~1.5x the memory.)
 *
 * Numbers, slots and bases are reference-counted and reused once free, so patterns made per
 * request (RPC reply topics) do not make the dictionary grow.
 */
export interface SegmentDictionary {
  /**
   * Two integers per slot, side by side: its owner, the base of the state whose step it holds (or
   * a negative link of the list of free slots: no state is negative), and its target, the state
   * the step leads to (in a free slot, the previous free slot). Slot 0 is never a step: it heads
   * that list. One array rather than two: a step then checks one array's bounds, not two (~10%
   * of reading a topic).
   */
  steps: Int32Array;
  /** Per base: number + 1 of the segment that ends at that state, 0 for none. */
  segmentEnds: Int32Array;
  /** Per base: live segments whose path runs through that state (0: the base is free). */
  paths: Int32Array;
  /** Base of the state each segment starts from. */
  start: number;
  /** Slots on the free list. */
  freeSlots: number;
  /** No base from here on was ever used, nor any slot from `freshSlots` on. */
  freshBases: number;
  freshSlots: number;
  /** Per segment number: the segment, or undefined when the number is free. */
  readonly segments: Array<string | undefined>;
  /** Per segment number: how many trie edges use it. */
  references: Int32Array;
  readonly freeNumbers: number[];
  size: number;
}

/** No segment starts this way; every step from it leads back here. Never a base of a state. */
const DEAD_STATE = 0;
/** Heads the list of free slots; never a step, since every base is 1 or more. */
const FREE_LIST = 0;

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
/** Slots after a base that its steps may take: a base is usable only with all of them in the array. */
const CLASSES = DOLLAR_CLASS + 1;

/** Creates an empty dictionary. */
export function createSegmentDictionary(): SegmentDictionary {
  const dictionary: SegmentDictionary = {
    steps: new Int32Array(0),
    segmentEnds: new Int32Array(0),
    paths: new Int32Array(0),
    start: 1,
    freeSlots: 0,
    freshBases: 2, // past the start state's
    freshSlots: 2, // slot 1 would be a step of the dead state
    segments: [],
    references: new Int32Array(16),
    freeNumbers: [],
    size: 0,
  };
  grow(dictionary, 2 * CLASSES);
  return dictionary;
}

/** The state reached from `state` by a character of class `characterClass` (1 or more). */
function step(dictionary: SegmentDictionary, state: number, characterClass: number): number {
  const slot = state + characterClass;
  return ownerOf(dictionary, slot) === state ? targetOf(dictionary, slot) : DEAD_STATE;
}

function ownerOf(dictionary: SegmentDictionary, slot: number): number {
  return dictionary.steps[2 * slot]!;
}

function targetOf(dictionary: SegmentDictionary, slot: number): number {
  return dictionary.steps[2 * slot + 1]!;
}

function setOwner(dictionary: SegmentDictionary, slot: number, owner: number): void {
  dictionary.steps[2 * slot] = owner;
}

function setTarget(dictionary: SegmentDictionary, slot: number, target: number): void {
  dictionary.steps[2 * slot + 1] = target;
}

/** Slots in the arrays: a base is usable while all its steps' slots are below this. */
function capacity(dictionary: SegmentDictionary): number {
  return dictionary.steps.length / 2;
}

/** What {@link readTopic} learns about a topic. */
export interface TopicReading {
  /** Per segment: its number, or -1 when no pattern names it. Room for every segment of the topic. */
  segmentNumbers: Int32Array;
  /** Segments in the topic. */
  count: number;
  /**
   * A hash of the states the automaton reached at the topic's dots and end, for the matcher's topic
   * cache. A state names a segment, or a beginning of one, exactly; a segment that leaves the
   * automaton (one no pattern names) adds the same as any other such segment, so topics that
   * differ only there hash alike. (Hashing each character instead cost ~10 ns a topic.)
   */
  stateHash: number;
}

/**
 * Reads `topic` once, character by character: where the dots are, each segment's number (the
 * state the automaton reached at the dot), a hash of those states, and whether the topic is plain
 * (see `TopicMatcher.scan`). Writes the first three into `reading`; returns the fourth.
 */
export function readTopic(dictionary: SegmentDictionary, topic: string, reading: TopicReading): boolean {
  // The loop spells its constants as literals (0 = DEAD_STATE, 66 = DOLLAR_CLASS, 255 = NO_CLASS;
  // the tests fail if they drift). Read from module scope they are values of unknown type to the
  // compiler, and a topic took ~10% longer. It keeps few variables, so they stay in registers.
  const classes = CHARACTER_CLASSES;
  const { segmentNumbers } = reading;
  const { steps, segmentEnds, start } = dictionary;
  const length = topic.length;
  let plain = length > 0 && length <= MAX_TOPIC_LENGTH;
  let state = start;
  let hash = 0x811c9dc5 | 0; // FNV-1a
  let count = 0;
  for (let i = 0; i < length; i++) {
    const code = topic.charCodeAt(i);
    if (code === 46 /* . */) {
      // Still at the start: an empty segment (nothing steps back to the start state).
      if (state === start) plain = false;
      hash = Math.imul(hash ^ state, 0x01000193);
      segmentNumbers[count++] = segmentEnds[state]! - 1;
      state = start;
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
    // Shift and or, not `2 *` and `+ 1`: the compiler checks those for overflow on every character.
    const slot = (state + characterClass) << 1;
    state = steps[slot] === state ? steps[slot | 1]! : 0;
  }
  if (state === start || count >= MAX_TOPIC_DEPTH) plain = false;
  segmentNumbers[count++] = segmentEnds[state]! - 1;
  reading.count = count;
  reading.stateHash = Math.imul(hash ^ state, 0x01000193);
  return plain;
}

/** The number of `segment`, or -1 when no pattern names it. */
export function findSegment(dictionary: SegmentDictionary, segment: string): number {
  let state = dictionary.start;
  for (let i = 0; i < segment.length && state !== DEAD_STATE; i++) {
    const characterClass = classOf(segment.charCodeAt(i));
    state = characterClass === NO_CLASS ? DEAD_STATE : step(dictionary, state, characterClass);
  }
  return dictionary.segmentEnds[state]! - 1; // the start state ends no segment: '' is -1 too
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
    let state = dictionary.start;
    let entry = -1; // the slot whose step led to `state`; none for the start state
    for (let i = 0; i < segment.length; i++) {
      const characterClass = classOf(segment.charCodeAt(i));
      let child = step(dictionary, state, characterClass);
      if (child === DEAD_STATE) {
        // A base with room for the step the segment takes next, so it need not move then.
        child = findBase(dictionary, i + 1 < segment.length ? [classOf(segment.charCodeAt(i + 1))] : []);
        dictionary.paths[child] = 1; // taken before anything else looks for a base
        if (ownerOf(dictionary, state + characterClass) >= 0)
          state = relocate(dictionary, state, entry, characterClass);
        occupy(dictionary, state + characterClass, state, child);
      } else {
        dictionary.paths[child]!++;
      }
      entry = state + characterClass;
      state = child;
    }
    dictionary.segmentEnds[state] = number + 1;
    dictionary.size++;
  }
  dictionary.references[number]!++;
  return number;
}

// Patterns are validated before they reach the matcher; this guards the automaton itself.
function assertNameable(segment: string): void {
  let nameable = segment.length > 0;
  for (let i = 0; i < segment.length; i++) if (classOf(segment.charCodeAt(i)) === NO_CLASS) nameable = false;
  if (!nameable)
    throw new Error(
      `Switchboard: '${segment}' is not a valid pattern segment; validate patterns first (assertPattern).`,
    );
}

/** Drops one reference to segment `number`; the last one frees the number, its slots and bases. */
export function releaseSegment(dictionary: SegmentDictionary, number: number): void {
  if (--dictionary.references[number]! > 0) return;
  const segment = dictionary.segments[number]!;
  const path = [dictionary.start];
  for (let i = 0; i < segment.length; i++) {
    path.push(step(dictionary, path[i]!, classOf(segment.charCodeAt(i))));
  }
  dictionary.segmentEnds[path[segment.length]!] = 0;
  for (let i = segment.length; i > 0; i--) {
    // A state no live segment runs through anymore: its base is free, and so is the step to it.
    if (--dictionary.paths[path[i]!]! === 0) release(dictionary, path[i - 1]! + classOf(segment.charCodeAt(i - 1)));
  }
  dictionary.segments[number] = undefined;
  dictionary.freeNumbers.push(number);
  dictionary.size--;
}

/**
 * Moves `state` to a base with room for its steps and one more of class `extra`, and points the
 * step that led to it (slot `entry`, or the dictionary's start) at the new base. Returns it.
 */
function relocate(dictionary: SegmentDictionary, state: number, entry: number, extra: number): number {
  const stepClasses: number[] = [];
  for (let characterClass = 1; characterClass < CLASSES; characterClass++) {
    if (ownerOf(dictionary, state + characterClass) === state) stepClasses.push(characterClass);
  }
  const base = findBase(
    dictionary,
    [...stepClasses, extra].sort((a, b) => a - b),
  );
  for (const characterClass of stepClasses) {
    occupy(dictionary, base + characterClass, base, targetOf(dictionary, state + characterClass));
    release(dictionary, state + characterClass);
  }
  dictionary.segmentEnds[base] = dictionary.segmentEnds[state]!;
  dictionary.paths[base] = dictionary.paths[state]!;
  dictionary.segmentEnds[state] = 0;
  dictionary.paths[state] = 0;
  if (entry < 0) dictionary.start = base;
  else setTarget(dictionary, entry, base);
  return base;
}

// Free slots tried as homes for a base before fresh space is used.
const TRIES = 32;
// Free slots tried, from the back, before the array grows.
const SEARCH = 1024;

/**
 * A free base whose slots for `stepClasses` (ascending) are free: the first fit among the first
 * free slots; else in fresh space past everything ever used; else among more free slots, from
 * the back (while at least half are free); else in new space. A slot tried goes to the back of
 * the free list, so later searches do not walk past it again and again (or, when it fits, plan a
 * step there as well: the state's first step is yet to take it).
 */
function findBase(dictionary: SegmentDictionary, stepClasses: readonly number[]): number {
  const first = stepClasses.length > 0 ? stepClasses[0]! : 0;
  for (let tries = 0; tries < TRIES; tries++) {
    const slot = nextFree(dictionary, FREE_LIST);
    if (slot === FREE_LIST) break;
    release(dictionary, take(dictionary, slot), true);
    if (fits(dictionary, slot - first, stepClasses)) return taken(dictionary, slot - first);
  }
  const fresh = Math.max(dictionary.freshBases, dictionary.freshSlots - first);
  if (fresh + CLASSES <= capacity(dictionary)) return taken(dictionary, fresh);
  if (dictionary.freeSlots * 2 > capacity(dictionary)) {
    let slot = previousFree(dictionary, FREE_LIST);
    for (let tries = 0; tries < SEARCH && slot !== FREE_LIST; tries++, slot = previousFree(dictionary, slot)) {
      if (fits(dictionary, slot - first, stepClasses)) return taken(dictionary, slot - first);
    }
  }
  // Past the end nothing was used: the old length is a free base, and its steps' slots are free.
  const base = capacity(dictionary);
  grow(dictionary, base * 2);
  return taken(dictionary, base);
}

function taken(dictionary: SegmentDictionary, base: number): number {
  dictionary.freshBases = Math.max(dictionary.freshBases, base + 1);
  return base;
}

function fits(dictionary: SegmentDictionary, base: number, stepClasses: readonly number[]): boolean {
  if (base <= DEAD_STATE || base === dictionary.start || dictionary.paths[base]! > 0) return false;
  if (base + CLASSES > capacity(dictionary)) return false;
  for (const characterClass of stepClasses) if (ownerOf(dictionary, base + characterClass) >= 0) return false;
  return true;
}

// The free slots form a circular list through slot FREE_LIST: a free slot's owner is
// -1 - (next free slot), its target the previous one.
function nextFree(dictionary: SegmentDictionary, slot: number): number {
  return -1 - ownerOf(dictionary, slot);
}

function previousFree(dictionary: SegmentDictionary, slot: number): number {
  return targetOf(dictionary, slot);
}

/** Links free slots `previous` and `next` to each other. */
function link(dictionary: SegmentDictionary, previous: number, next: number): void {
  setOwner(dictionary, previous, -1 - next);
  setTarget(dictionary, next, previous);
}

/** Takes free `slot` off the free list for the step of `owner` to `target`. */
function occupy(dictionary: SegmentDictionary, slot: number, owner: number, target: number): void {
  take(dictionary, slot);
  dictionary.freshSlots = Math.max(dictionary.freshSlots, slot + 1);
  setOwner(dictionary, slot, owner);
  setTarget(dictionary, slot, target);
}

/** Unlinks free `slot` from the free list; returns it. */
function take(dictionary: SegmentDictionary, slot: number): number {
  link(dictionary, previousFree(dictionary, slot), nextFree(dictionary, slot));
  dictionary.freeSlots--;
  return slot;
}

/**
 * Puts `slot` on the free list: first, so it is reused soon (while it is in cache), or `last`.
 */
function release(dictionary: SegmentDictionary, slot: number, last = false): void {
  const previous = last ? previousFree(dictionary, FREE_LIST) : FREE_LIST;
  const next = nextFree(dictionary, previous);
  link(dictionary, slot, next);
  link(dictionary, previous, slot);
  dictionary.freeSlots++;
}

/** Makes the arrays `slots` slots long; the new slots join the end of the free list. */
function grow(dictionary: SegmentDictionary, slots: number): void {
  const end = capacity(dictionary);
  dictionary.steps = grown(dictionary.steps, 2 * slots);
  dictionary.segmentEnds = grown(dictionary.segmentEnds, slots);
  dictionary.paths = grown(dictionary.paths, slots);
  if (end === 0) link(dictionary, FREE_LIST, FREE_LIST); // an empty list
  for (let slot = Math.max(end, FREE_LIST + 1); slot < capacity(dictionary); slot++) release(dictionary, slot, true);
}

function grown(array: Int32Array, length: number): Int32Array {
  const bigger = new Int32Array(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}
