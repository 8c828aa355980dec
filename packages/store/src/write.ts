import type { StoreDefinition } from './define-store.ts';
import type { Proposal, RedoableCommand } from './protocol.ts';
import type { Replica } from './replica-types.ts';
import { validateState } from './state-schema.ts';

/** One write waiting to be applied: a function of the state, so it can run again on conflict. */
export interface Write {
  readonly apply: (state: unknown) => unknown;
  /** `set`, `update`, a command's name. */
  readonly label: string;
  /** The app writing, and how its proposal is published (through its own bus). */
  readonly writer: Writer;
  /** Its result does not depend on the state (`set`). */
  readonly absolute?: boolean | undefined;
  /** The command it runs, if it is one. */
  readonly command?: RedoableCommand | undefined;
  /** A fixed opId (a command, so that every tab running it proposes the same operation). */
  readonly opId?: string;
  /** Runs once the write is committed (a command's events). */
  readonly committed?: (version: number) => void;
  readonly resolve: (version: number) => void;
  readonly reject: (error: unknown) => void;
  /** Set when the write belongs to a transaction over several stores. */
  readonly group?: TransactionGroup;
}

/** Publishes a proposal for one app. */
export interface Writer {
  readonly app: string;
  propose(proposal: Proposal): void;
}

/** The parts of one transaction, proposed together once every store involved is idle. */
export interface TransactionGroup {
  readonly id: string;
  readonly stores: readonly string[];
  /** A replica has the transaction's write at its head and nothing in flight. */
  arrived(replica: Replica): void;
}

/** Applies writes to `state` in order; a write that throws is rejected (when settling) and skipped. */
export function foldWrites(
  definition: StoreDefinition<unknown, never>,
  storeId: string,
  state: unknown,
  writes: readonly Write[],
  settle: boolean,
): { value: unknown; kept: Write[]; clean: boolean } {
  const kept: Write[] = [];
  let value = state;
  let clean = true;
  for (const write of writes) {
    try {
      value = validateState(definition, storeId, write.apply(value), write.label);
      kept.push(write);
    } catch (error) {
      clean = false;
      if (settle) write.reject(error);
      else kept.push(write);
    }
  }
  return { value, kept, clean };
}
