import type { Message } from './message.ts';

/** The depths of the last few messages a bus saw, by id. */
export interface CausationMemory {
  remember(message: Message): void;
  /** Depth of a recently seen message (its latest sighting), or -1 when forgotten. */
  depthOf(id: string): number;
}

/**
 * Remembers the depth of the last `size` messages, so that a publish naming its cause with an
 * explicit `causationId` (after an `await`, where the bus cannot know it) continues the chain.
 * A ring rather than a Map: every publish remembers, few look up, and hashing each fresh id (a
 * cons string V8 must flatten first) cost more than the rest of a publish.
 */
export function createCausationMemory(size: number): CausationMemory {
  const ids = new Array<string | undefined>(size);
  const depths = new Array<number>(size).fill(0);
  let next = 0;
  return {
    remember(message) {
      ids[next] = message.id;
      depths[next] = message.depth;
      next = next + 1 === size ? 0 : next + 1;
    },
    depthOf(id) {
      for (let step = 1; step <= size; step++) {
        const slot = (next - step + size) % size;
        if (ids[slot] === id) return depths[slot]!;
      }
      return -1;
    },
  };
}
