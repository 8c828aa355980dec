import type { Write } from './write.ts';

/** How many committed proposals a replica keeps, to run them again when a sequencer undoes them. */
const KEPT = 256;

/**
 * The writes of a replica's latest committed proposals, by opId. A closure cannot cross tabs, so
 * only the tab that proposed an `update(fn)` can run it again; it keeps it for a while in case
 * the sequencer takes an earlier history that lacks it (a late tab after a failover).
 */
export interface KeptWrites {
  /** Keeps the writes one proposal committed. */
  keep(opId: string, writes: readonly Write[]): void;
  /** A write that runs the kept ones again under `opId`, or undefined when none is kept. */
  replay(opId: string, report: (error: unknown) => void): Write | undefined;
}

/** Creates the kept writes of one replica (bounded: the oldest are forgotten first). */
export function createKeptWrites(): KeptWrites {
  const kept = new Map<string, readonly Write[]>();
  return {
    keep(opId, writes) {
      kept.delete(opId);
      kept.set(opId, writes);
      if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
    },
    replay(opId, report) {
      const writes = kept.get(opId);
      if (writes === undefined || writes.length === 0) return undefined;
      return {
        apply: (state) => writes.reduce((value, write) => write.apply(value), state),
        label: writes.length === 1 ? writes[0]!.label : `${writes.length} writes`,
        writer: writes[0]!.writer,
        opId,
        // What a next sequencer may commit again by itself, should it undo the replay too.
        absolute: writes.some((write) => write.absolute),
        command: writes[0]!.command,
        // Its caller was answered when it first committed; a command's events went out then.
        resolve() {},
        reject: report,
      };
    },
  };
}
