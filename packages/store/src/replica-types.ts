import type { StoreDefinition } from './define-store.ts';
import type { ChangeListener } from './change-listeners.ts';
import type { TransactionGroup, Write } from './write.ts';
import type { Commit, Holdings, Rejection, StoreState } from './protocol.ts';

/** What a replica needs from the tab's store service. */
export interface ReplicaHost {
  readonly tabId: string;
  /** Asks the sequencer for the store's state. */
  requestSync(replica: Replica): void;
  /** Tells the sequencer what this tab holds of the store: it is ahead of the sequencer. */
  offer(replica: Replica): void;
  /** Reports an error that has no caller to reject. */
  report(error: unknown): void;
  now(): number;
  /** Runs `task` once the current synchronous run is over. */
  later(task: () => void): void;
}

/** The state of one store in this tab: what the sequencer confirmed, plus this tab's pending writes. */
export interface Replica {
  readonly storeId: string;
  readonly definition: StoreDefinition<unknown, never>;
  /** The value with this tab's pending writes applied (optimistic), as `store.get()` returns. */
  view(): unknown;
  readonly version: number;
  readonly confirmed: unknown;
  readonly ready: Promise<void>;
  readonly loaded: boolean;
  /** Queues a write; proposals go out in batches, one at a time. */
  write(write: Write): void;
  onCommit(commit: Commit): void;
  onReject(rejection: Rejection): void;
  onState(state: StoreState): void;
  /** Sends again the proposal still unanswered (a new sequencer, a lost message). */
  resend(): void;
  /** The transaction's write, when it is first in the queue. */
  groupWrite(group: TransactionGroup): Write | undefined;
  /** Proposes the transaction's part (applies it at once for `scope: 'tab'`). */
  proposeGroupPart(group: TransactionGroup, value: unknown): void;
  /** Removes the transaction's write (it failed) and rejects it with `error`. */
  abandonGroup(group: TransactionGroup, error: unknown): void;
  holdings(): Holdings['stores'][number] | undefined;
  subscribe(listener: ChangeListener): () => void;
  readonly listenerCount: number;
  readonly pendingWrites: number;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Resolves with the version of the commit that carries `opId` (a command run by another tab). */
  waitForOp(opId: string, signal: AbortSignal): Promise<number>;
  dispose(reason: unknown): void;
  /** Defers listener calls until `end()` (batched writes, transactions applied together). */
  hold(): void;
  release(): void;
}
