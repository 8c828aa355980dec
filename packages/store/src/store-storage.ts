import type { Commit } from './protocol.ts';

/** A store's state as persisted: the newest snapshot with the operations after it applied. */
export interface PersistedState {
  readonly version: number;
  readonly value: unknown;
  readonly schemaVersion: number;
  /** opIds of the last operations, so a proposal retried after a reload applies once. */
  readonly opIds: readonly string[];
}

/**
 * Where the sequencer keeps persisted stores (`persist: true`): a snapshot plus the operations
 * since it. `@switchboard/store/idb` provides one on IndexedDB; pass it to `attachStores`.
 */
export interface StoreStorage {
  /** The latest state of a store, or undefined when none was stored. */
  load(storeId: string): Promise<PersistedState | undefined>;
  /**
   * Stores commits, in version order. A store's operations at or above the first version given
   * are replaced: they were persisted by a sequencer that closed before publishing them, so no
   * tab applied them.
   */
  append(commits: readonly Commit[]): Promise<void>;
}
