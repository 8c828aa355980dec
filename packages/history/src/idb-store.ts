import type { Message } from '@switchboard/bus';
import { unwrap, type IDBPObjectStore } from 'idb';
import { describeError, domErrorName, HistoryError } from './errors.ts';
import type { HistoryStore, StoreQuery } from './history-store.ts';
import { openHistoryDb } from './open-database.ts';
import { PREFIX_INDEX, STORE, toRecord, type HistoryDb, type HistoryDbSchema, type StoredRecord } from './schema.ts';

/** Options of {@link createIdbStore}. */
export interface IdbStoreOptions {
  readonly factory: IDBFactory;
  readonly dbName: string;
  readonly namespace: string;
  /** Commit hint for write transactions. */
  readonly durability: IDBTransactionDurability;
  /** Debug log (a no-op unless `debug` is on). */
  readonly log: (text: string) => void;
  /** A message that cannot be stored (its payload does not clone); the rest of its batch is. */
  readonly onUncloneable: (message: Message, error: unknown) => void;
}

// An empty array sorts after every number and string, so `[ns, ts, []]` is above every key of
// that millisecond and `[ns, []]` above every key of the namespace.
const AFTER: never[] = [];

/**
 * The IndexedDB store. It keeps one connection, closes it when another tab needs to upgrade or
 * delete the database (`versionchange`), forgets it when the browser terminates it, and reopens
 * on the next use; an operation that meets a connection closing under it is retried once.
 */
export function createIdbStore(options: IdbStoreOptions): HistoryStore {
  const { factory, dbName, namespace: ns, durability, log } = options;
  const wholeNamespace = (): IDBKeyRange => IDBKeyRange.bound([ns], [ns, AFTER]);
  let current: HistoryDb | undefined;
  let opening: Promise<HistoryDb> | undefined;

  function forget(db: HistoryDb): void {
    if (current === db) current = undefined;
  }

  function database(): Promise<HistoryDb> {
    if (current !== undefined) return Promise.resolve(current);
    opening ??= openHistoryDb(factory, dbName, {
      blocked: () => log(`opening '${dbName}' waits until other tabs close an older version of it`),
      blocking: (db) => {
        log(`another tab upgrades or deletes '${dbName}': closing it here, reopening on next use`);
        db.close();
        forget(db);
      },
      terminated: (db) => {
        log(`the browser closed '${dbName}' unexpectedly: reopening on next use`);
        forget(db);
      },
    }).then(
      (db) => {
        opening = undefined;
        current = db;
        return db;
      },
      (error: unknown) => {
        opening = undefined;
        throw unavailable(error);
      },
    );
    return opening;
  }

  function unavailable(error: unknown): HistoryError {
    if (error instanceof HistoryError) return error;
    return new HistoryError('UNSUPPORTED', 'unavailable',
      `createHistoryAdapter(): IndexedDB database '${dbName}' cannot be opened (${describeError(error)}); ` +
        'history falls back to memory in this tab. Private browsing and disabled site data cause this.', { cause: error });
  }

  /** Runs `work` on an open connection, once more on a fresh one if the connection closed under it. */
  async function run<T>(work: (db: HistoryDb) => Promise<T>): Promise<T> {
    const db = await database();
    try {
      return await work(db);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      log(`'${dbName}' closed during an operation (${describeError(error)}): reopening and retrying once`);
      forget(db);
      return work(await database());
    }
  }

  function writeBatch(db: HistoryDb, messages: readonly Message[]): Promise<void> {
    // Raw IndexedDB here: one request per message without a promise each keeps big bursts fast.
    const tx = unwrap(db).transaction(STORE, 'readwrite', { durability });
    const store = tx.objectStore(STORE);
    const done = transactionDone(tx);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      try {
        store.put(toRecord(ns, message));
      } catch (error) {
        if (domErrorName(error) === 'DataCloneError') {
          options.onUncloneable(message, error);
          continue;
        }
        tx.abort();
        // The abort rejects `done` too; that rejection is this one.
        done.catch(() => undefined);
        return Promise.reject(error);
      }
    }
    return done;
  }

  async function runQuery(db: HistoryDb, query: StoreQuery): Promise<Message[]> {
    const tx = db.transaction(STORE, 'readonly');
    const { prefix, from, fromExclusive, to, limit, accept, exact } = query;
    const source = prefix === undefined ? tx.store : tx.store.index(PREFIX_INDEX);
    const range = prefix === undefined
      ? IDBKeyRange.bound(fromExclusive ? [ns, from, AFTER] : [ns, from], [ns, to, AFTER], fromExclusive)
      : IDBKeyRange.bound([ns, prefix, from], [ns, prefix, to], fromExclusive);
    const found: Message[] = [];
    if (limit === Infinity) {
      const records = (await source.getAll(range)) as StoredRecord[];
      for (const record of records) if (exact || accept(record.m)) found.push(record.m);
      return found;
    }
    // Newest first until `limit` match, then back to oldest first.
    for (let cursor = await source.openCursor(range, 'prev'); cursor; cursor = await cursor.continue()) {
      const message = (cursor.value as StoredRecord).m;
      if ((exact || accept(message)) && found.push(message) >= limit) break;
    }
    return found.reverse();
  }

  /** Deletes the oldest `count` records of the namespace with one range delete. */
  async function deleteOldest(store: IDBPObjectStore<HistoryDbSchema, ['messages'], 'messages', 'readwrite'>, count: number): Promise<number> {
    if (count <= 0) return 0;
    const cursor = await store.openKeyCursor(wholeNamespace());
    if (cursor === null) return 0;
    const firstKept = await cursor.advance(count);
    await store.delete(firstKept === null ? wholeNamespace() : IDBKeyRange.bound([ns], firstKept.primaryKey, false, true));
    return count;
  }

  return {
    kind: 'indexeddb',
    async open() {
      await database();
    },
    write(messages) {
      return run((db) => writeBatch(db, messages));
    },
    query(query) {
      return run((db) => runQuery(db, query));
    },
    collect(cutoff, maxMessages) {
      return run(async (db) => {
        const tx = db.transaction(STORE, 'readwrite', { durability });
        const expiredRange = IDBKeyRange.bound([ns], [ns, cutoff, AFTER]);
        const expired = await tx.store.count(expiredRange);
        if (expired > 0) await tx.store.delete(expiredRange);
        let trimmed = 0;
        if (maxMessages !== Infinity) {
          const remaining = await tx.store.count(wholeNamespace());
          trimmed = await deleteOldest(tx.store, remaining - maxMessages);
        }
        await tx.done;
        return { expired, trimmed };
      });
    },
    evictOldest(count) {
      return run(async (db) => {
        const tx = db.transaction(STORE, 'readwrite', { durability });
        const stored = await tx.store.count(wholeNamespace());
        const evicted = await deleteOldest(tx.store, Math.min(count, stored));
        await tx.done;
        return evicted;
      });
    },
    count() {
      return run((db) => db.count(STORE, wholeNamespace()));
    },
    clear() {
      return run(async (db) => {
        const tx = db.transaction(STORE, 'readwrite', { durability });
        await tx.store.delete(wholeNamespace());
        await tx.done;
      });
    },
    close() {
      current?.close();
      current = undefined;
    },
  };
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A transaction whose error is null was aborted by a closing connection.
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}

function isConnectionLost(error: unknown): boolean {
  const name = domErrorName(error);
  return name === 'InvalidStateError' || name === 'AbortError' || name === 'UnknownError';
}
