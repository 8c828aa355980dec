/** The depths of the last few messages a bus saw, by id. */
export interface CausationMemory {
  /** Remembers the depth of this bus's message number `sequence` (its id ends with it). */
  rememberOwn(sequence: number, depth: number): void;
  /** Remembers the depth of a message from elsewhere (another tab). */
  rememberOther(id: string, depth: number): void;
  /** Depth of a recently seen message, or -1 when forgotten. */
  depthOf(id: string): number;
}

/**
 * Remembers the depth of the last `size` messages this bus published and the last `size` it
 * received, so that a publish naming its cause with an explicit `causationId` (after an `await`,
 * where the bus cannot know it) continues the chain. Every publish remembers, few look up.
 *
 * Own messages are kept by sequence number in typed arrays: storing each new id string in a
 * long-lived array cost a write barrier per publish, ~10% of one. A lookup of an own id reads the
 * sequence back from the id's tail.
 */
export function createCausationMemory(size: number, ownPrefix: string): CausationMemory {
  // A power of two, so a slot is a mask rather than a division on every publish.
  const ownSlots = 2 ** Math.ceil(Math.log2(Math.max(2, size)));
  const mask = ownSlots - 1;
  const ownSequences = new Float64Array(ownSlots).fill(-1);
  const ownDepths = new Int32Array(ownSlots);
  const otherIds = new Array<string | undefined>(size).fill(undefined);
  const otherDepths = new Int32Array(size);
  let nextOther = 0;

  function ownSequenceOf(id: string): number {
    const tail = id.slice(ownPrefix.length);
    const sequence = parseInt(tail, 36);
    return Number.isSafeInteger(sequence) && sequence.toString(36) === tail ? sequence : -1;
  }

  return {
    rememberOwn(sequence, depth) {
      const slot = sequence & mask;
      ownSequences[slot] = sequence;
      ownDepths[slot] = depth;
    },
    rememberOther(id, depth) {
      otherIds[nextOther] = id;
      otherDepths[nextOther] = depth;
      nextOther = nextOther + 1 === size ? 0 : nextOther + 1;
    },
    depthOf(id) {
      if (id.startsWith(ownPrefix)) {
        const sequence = ownSequenceOf(id);
        if (sequence >= 0 && ownSequences[sequence & mask] === sequence) return ownDepths[sequence & mask]!;
      }
      // Latest sighting first: an id can come back (a message relayed twice).
      for (let step = 1; step <= size; step++) {
        const slot = (nextOther - step + size) % size;
        if (otherIds[slot] === id) return otherDepths[slot]!;
      }
      return -1;
    },
  };
}
