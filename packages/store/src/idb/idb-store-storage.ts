import type { Commit, PersistedState, StoreStorage } from '@switchboard/store';
import { StoreError } from '@switchboard/store';
import { type DBSchema, type IDBPDatabase, wrap } from 'idb';

/** A snapshot of one store at one version. */
export interface StoreSnapshot {
  readonly storeId: string;
  readonly version: number;
  readonly value: unknown;
  readonly schemaVersion: number;
  readonly ts: number;
}

/** What the inspector reads: the kept snapshots and every operation since the oldest. */
export interface StoreTimeline {
  readonly snapshots: readonly StoreSnapshot[];
  readonly operations: readonly Commit[];
}

/** Options of {@link createIdbStoreStorage}. */
export interface IdbStoreStorageOptions {
  /** @default 'switchboard-store' */
  dbName?: string;
  /** The IndexedDB factory; tests pass fake-indexeddb's. @default globalThis.indexedDB */
  indexedDB?: IDBFactory;
  /**
   * A snapshot is written after this many operations, and the log before the oldest kept
   * snapshot is deleted.
   * @default 100
   */
  snapshotEvery?: number;
  /**
   * Snapshots kept per store: the state as of any time since the oldest of them can be read.
   * @default 2
   */
  keepSnapshots?: number;
}

/** IndexedDB storage of persisted stores, with the timeline the inspector reads. */
export interface IdbStoreStorage extends StoreStorage {
  timeline(storeId: string): Promise<StoreTimeline>;
  close(): void;
}

interface Schema extends DBSchema {
  snapshots: { key: [string, number]; value: StoreSnapshot };
  ops: { key: [string, number]; value: Commit };
}

const MAX = Number.MAX_SAFE_INTEGER;
const range = (storeId: string, from = 0, to = MAX) => IDBKeyRange.bound([storeId, from], [storeId, to]);

/**
 * Persists stores as a snapshot plus the operations since it, in IndexedDB. The sequencer writes
 * every commit of a persisted store before it publishes it; a tab that opens alone reads the
 * latest state back. Pass it to `attachStores(bus, { storage })` in the shell.
 *
 * @example
 * import { attachStores } from '@switchboard/store';
 * import { createIdbStoreStorage } from '@switchboard/store/idb';
 * attachStores(bus, { storage: createIdbStoreStorage() });
 */
export function createIdbStoreStorage(options: IdbStoreStorageOptions = {}): IdbStoreStorage {
  const { dbName = 'switchboard-store', snapshotEvery = 100, keepSnapshots = 2 } = options;
  let opening: Promise<IDBPDatabase<Schema>> | undefined;

  function open(): Promise<IDBPDatabase<Schema>> {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    if (factory === undefined) {
      return Promise.reject(
        new StoreError(
          'UNSUPPORTED',
          undefined,
          'createIdbStoreStorage(): IndexedDB is not available here; persisted stores stay in memory.',
        ),
      );
    }
    if (opening !== undefined) return opening;
    // The factory given, not the global one: tests and private-mode fallbacks hand in their own.
    const request = factory.open(dbName, 1);
    request.addEventListener('upgradeneeded', () => {
      request.result.createObjectStore('snapshots', { keyPath: ['storeId', 'version'] });
      request.result.createObjectStore('ops', { keyPath: ['storeId', 'version'] });
    });
    opening = (wrap(request) as unknown as Promise<IDBPDatabase<Schema>>).then((db) => {
      // Another tab upgrades or deletes the database: let it, and open again on next use.
      db.addEventListener('versionchange', () => {
        db.close();
        opening = undefined;
      });
      db.addEventListener('close', () => {
        opening = undefined;
      });
      return db;
    });
    opening.catch(() => {
      opening = undefined;
    });
    return opening;
  }

  return {
    async load(storeId) {
      const db = await open();
      const tx = db.transaction(['snapshots', 'ops']);
      const snapshot = (await tx.objectStore('snapshots').openCursor(range(storeId), 'prev'))?.value;
      const after = snapshot?.version ?? 0;
      const ops: Commit[] = [];
      let cursor = await tx.objectStore('ops').openCursor(range(storeId, after + 1), 'prev');
      while (cursor !== null && ops.length < 64) {
        ops.push(cursor.value);
        cursor = await cursor.continue();
      }
      const last = ops[0];
      if (last === undefined && snapshot === undefined) return undefined;
      const state: PersistedState = {
        version: last?.version ?? snapshot!.version,
        value: last !== undefined ? last.value : snapshot!.value,
        schemaVersion: last?.schemaVersion ?? snapshot!.schemaVersion,
        opIds: ops.map((op) => op.opId).reverse(),
      };
      return state;
    },
    async append(commits) {
      if (commits.length === 0) return;
      const db = await open();
      const tx = db.transaction(['snapshots', 'ops'], 'readwrite');
      const ops = tx.objectStore('ops');
      const snapshots = tx.objectStore('snapshots');
      const byStore = new Map<string, Commit[]>();
      for (const commit of commits) byStore.set(commit.storeId, [...(byStore.get(commit.storeId) ?? []), commit]);
      for (const [storeId, list] of byStore) {
        // A log ahead of what the tabs applied was written by a sequencer that closed before
        // publishing it: nobody saw it, the new writes replace it.
        await ops.delete(range(storeId, list[0]!.version));
        for (const commit of list) await ops.put(commit);
        const latest = (await snapshots.openCursor(range(storeId), 'prev'))?.value;
        const since = await ops.count(range(storeId, (latest?.version ?? 0) + 1));
        if (since < snapshotEvery) continue;
        const last = list.at(-1)!;
        await snapshots.put({
          storeId,
          version: last.version,
          value: last.value,
          schemaVersion: last.schemaVersion,
          ts: last.ts,
        });
        // Compaction: keep the newest snapshots and the operations since the oldest of them.
        const kept = await snapshots.getAllKeys(range(storeId));
        const oldest = kept.at(-keepSnapshots);
        if (oldest === undefined) continue;
        await snapshots.delete(IDBKeyRange.bound([storeId, 0], [storeId, oldest[1]], false, true));
        await ops.delete(range(storeId, 0, oldest[1]));
      }
      await tx.done;
    },
    async timeline(storeId) {
      const db = await open();
      const tx = db.transaction(['snapshots', 'ops']);
      const [snapshots, operations] = await Promise.all([
        tx.objectStore('snapshots').getAll(range(storeId)),
        tx.objectStore('ops').getAll(range(storeId)),
      ]);
      return { snapshots, operations };
    },
    close() {
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  };
}
