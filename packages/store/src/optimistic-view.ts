import type { StoreDefinition } from './define-store.ts';
import { validateState } from './state-schema.ts';
import { foldWrites, type Write } from './write.ts';

/**
 * What a replica's readers see: the confirmed value with the pending writes folded on it. The
 * folded value is kept while the confirmed value and the writes it was folded from stay, and a
 * new write is folded onto it, so reading after each write does not fold the whole queue again.
 */
export interface OptimisticView {
  /** The view of `confirmed` with `pending()` folded on it (asked only when not kept). */
  value(confirmed: unknown, pending: () => readonly Write[]): unknown;
  /**
   * Every pending write (`batch`, nothing in flight) folded on `confirmed`, rejecting those that
   * throw: the kept view itself when no write threw, so each write's function runs once and the
   * value this tab's listeners saw is the one proposed.
   */
  settleAll(confirmed: unknown, batch: Write[]): { value: unknown; kept: Write[] };
  /** `write` was queued after the `pendingCount - 1` writes the view holds. */
  extend(write: Write, pendingCount: number): void;
  /** Keeps the view only if it is `value` (the value just proposed), else folds again when read. */
  keepIf(value: unknown): void;
  /** The confirmed value or the pending writes changed: fold again when read. */
  drop(): void;
}

interface Kept {
  readonly value: unknown;
  readonly base: unknown;
  readonly writes: number;
  /** No write threw while folding. */
  readonly clean: boolean;
}

/** Creates the optimistic view of store `storeId`. */
export function createOptimisticView(definition: StoreDefinition<unknown, never>, storeId: string): OptimisticView {
  let kept: Kept | undefined;
  return {
    value(confirmed, pending) {
      if (kept === undefined) {
        const writes = pending();
        const folded =
          writes.length === 0
            ? { value: confirmed, clean: true }
            : foldWrites(definition, storeId, confirmed, writes, false);
        kept = { value: folded.value, base: confirmed, writes: writes.length, clean: folded.clean };
      }
      return kept.value;
    },
    settleAll(confirmed, batch) {
      if (kept?.clean && kept.base === confirmed && kept.writes === batch.length) {
        return { value: kept.value, kept: batch };
      }
      return foldWrites(definition, storeId, confirmed, batch, true);
    },
    extend(write, pendingCount) {
      if (kept === undefined || kept.writes !== pendingCount - 1) {
        kept = undefined;
        return;
      }
      try {
        const value = validateState(definition, storeId, write.apply(kept.value), write.label);
        kept = { ...kept, value, writes: kept.writes + 1 };
      } catch {
        // Refused when proposed, where the writer learns why; the view skips it meanwhile.
        kept = { ...kept, writes: kept.writes + 1, clean: false };
      }
    },
    keepIf(value) {
      if (kept?.value !== value) kept = undefined;
    },
    drop() {
      kept = undefined;
    },
  };
}
