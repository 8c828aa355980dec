/**
 * Remembers the depth of the last `size` messages a bus published and the last `size` it
 * received, so that a publish naming its cause with an explicit `causationId` (after an `await`,
 * where the bus cannot know it) continues the chain. Every publish remembers, few look up.
 *
 * Own messages are kept by sequence number in typed arrays: storing each new id string in a
 * long-lived array cost a write barrier per publish, ~10% of one. A lookup of an own id reads the
 * sequence back from the id's tail. A record read by module functions, so every bus of a tab
 * shares their compiled code.
 */
export interface CausationMemory {
  readonly size: number;
  readonly ownPrefix: string;
  /** `ownSequences.length - 1`: a slot is a mask rather than a division on every publish. */
  readonly mask: number;
  readonly ownSequences: Float64Array;
  readonly ownDepths: Int32Array;
  readonly otherIds: Array<string | undefined>;
  readonly otherDepths: Int32Array;
  nextOther: number;
}

/** Creates a memory of `size` own and `size` other messages; own ids start with `ownPrefix`. */
export function createCausationMemory(size: number, ownPrefix: string): CausationMemory {
  const ownSlots = 2 ** Math.ceil(Math.log2(Math.max(2, size)));
  return {
    size,
    ownPrefix,
    mask: ownSlots - 1,
    ownSequences: new Float64Array(ownSlots).fill(-1),
    ownDepths: new Int32Array(ownSlots),
    otherIds: new Array<string | undefined>(size).fill(undefined),
    otherDepths: new Int32Array(size),
    nextOther: 0,
  };
}

/** Remembers the depth of this bus's message number `sequence` (its id ends with it). */
export function rememberOwn(memory: CausationMemory, sequence: number, depth: number): void {
  const slot = sequence & memory.mask;
  memory.ownSequences[slot] = sequence;
  memory.ownDepths[slot] = depth;
}

/** Remembers the depth of a message from elsewhere (another tab). */
export function rememberOther(memory: CausationMemory, id: string, depth: number): void {
  memory.otherIds[memory.nextOther] = id;
  memory.otherDepths[memory.nextOther] = depth;
  memory.nextOther = memory.nextOther + 1 === memory.size ? 0 : memory.nextOther + 1;
}

/** Depth of a recently seen message, or -1 when forgotten. */
export function depthOf(memory: CausationMemory, id: string): number {
  const { mask, size } = memory;
  if (id.startsWith(memory.ownPrefix)) {
    const sequence = ownSequenceOf(memory, id);
    if (sequence >= 0 && memory.ownSequences[sequence & mask] === sequence) return memory.ownDepths[sequence & mask]!;
  }
  // Latest sighting first: an id can come back (a message relayed twice).
  for (let step = 1; step <= size; step++) {
    const slot = (memory.nextOther - step + size) % size;
    if (memory.otherIds[slot] === id) return memory.otherDepths[slot]!;
  }
  return -1;
}

function ownSequenceOf(memory: CausationMemory, id: string): number {
  const tail = id.slice(memory.ownPrefix.length);
  const sequence = parseInt(tail, 36);
  return Number.isSafeInteger(sequence) && sequence.toString(36) === tail ? sequence : -1;
}
