import type { Clock } from '@switchboard/bus';
import type { StoreDefinition } from './define-store.ts';
import type { Replica } from './replica-types.ts';
import type { StoreStorage } from './store-storage.ts';
import type { Writer } from './write.ts';

// What a tab's store service is and is given: its options, its counters and its interface.

/** The service name under which a tab's stores are found by every registry of the tab. */
export const STORE_SERVICE = 'store';

/** Options of {@link attachStores}. */
export interface AttachStoresOptions {
  /** Where persisted stores are kept (`createIdbStoreStorage()` from `@switchboard/store/idb`). */
  storage?: StoreStorage;
  /** Timers (elections, retries); tests pass a fake clock. @default systemClock */
  clock?: Clock;
  /**
   * How long a new sequencer waits for the other tabs to say what they hold before it
   * sequences. It stops waiting as soon as every live tab answered.
   * @default 1000
   */
  electionMs?: number;
  /**
   * How long a proposal or a sync may go unanswered before it is sent again.
   * @default 2000
   */
  retryMs?: number;
}

/** Counters of a tab's stores. */
export interface StoresStats {
  readonly stores: number;
  /** Commits this tab sequenced (as the leader). */
  readonly sequenced: number;
  /** Proposals this tab's sequencer refused as stale. */
  readonly rejected: number;
  /** Proposals refused because they were already applied (retries after a failover). */
  readonly duplicates: number;
  /** Commits this tab applied. */
  readonly applied: number;
  /** Times this tab became the sequencer. */
  readonly elections: number;
  /**
   * Commits, states and refusals of an earlier sequencer that arrived after this tab answered a
   * new one's election: not applied (the new sequencer takes over such commits itself); and, as
   * the sequencer, proposals made for an earlier one (their tabs send them again).
   */
  readonly fenced: number;
  /**
   * Writes lost to a history that could not be merged: a late tab's history that cannot be
   * placed after the new sequencer's, or operations to replay that no tab proposed again.
   */
  readonly diverged: number;
  readonly role: 'follower' | 'electing' | 'sequencing';
}

/** The stores of one tab: replicas, and the sequencer while this tab leads. */
export interface StoreService {
  readonly tabId: string;
  readonly clock: Clock;
  /** The tab's replica of `storeId`, created on first use; each acquire needs a release. */
  acquire(definition: StoreDefinition<unknown, never>, storeId: string): Replica;
  /** Drops the replica once no registry of the tab uses it (its pending writes reject with `reason`). */
  release(storeId: string, reason: unknown): void;
  /** A writer that proposes for `app` through `publish`. */
  writer(app: string, publish: (topic: string, payload: unknown, causationId?: string) => void): Writer;
  replicas(): Replica[];
  stats(): StoresStats;
  /** Settles the pending writes of every store. */
  idle(): Promise<void>;
  report(error: unknown): void;
  detach(): void;
}
