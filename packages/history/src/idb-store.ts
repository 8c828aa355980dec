import type { Message } from '@switchboard/bus';
import { unwrap } from 'idb';
import { deleteInChunks } from './chunked-delete.ts';
import { describeError, domErrorName, HistoryError, isHistoryError } from './errors.ts';
import type { HistoryStore } from './history-store.ts';
import { queryIdb } from './idb-query.ts';
import { countKeys, keyAt } from './key-walk.ts';
import { nextTask } from './next-task.ts';
import { openHistoryDb } from './open-database.ts';
import type { RunOnDb } from './run-merge.ts';
import { STORE, toRecord, type HistoryDb } from './schema.ts';
import { transactionDone } from './transaction-done.ts';
import { writeActivity } from './write-activity.ts';

/** Options of {@link createIdbStore}. */
export interface IdbStoreOptions {
  readonly factory: IDBFactory;
  readonly dbName: string;
  readonly namespace: string;
  /** Commit hint for write transactions. */
  readonly durability: IDBTransactionDurability;
  /** Most records one GC transaction deletes while the database is being written to. */
  readonly gcChunkSize: number;
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
  // Counts close() calls: a GC that sees it change stops instead of reopening the database.
  let closings = 0;
  const activity = writeActivity(factory, dbName);

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
    if (isHistoryError(error)) return error;
    return new HistoryError(
      'UNSUPPORTED',
      'unavailable',
      `createHistoryAdapter(): IndexedDB database '${dbName}' cannot be opened (${describeError(error)}); ` +
        'history falls back to memory in this tab. Private browsing and disabled site data cause this.',
      { cause: error },
    );
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

  function writeBatch(
    db: HistoryDb,
    messages: readonly Message[],
    ifAbsent: ((message: Message) => boolean) | undefined,
  ): Promise<number> {
    // Raw IndexedDB here: one request per message without a promise each keeps big bursts fast.
    const tx = unwrap(db).transaction(STORE, 'readwrite', { durability });
    activity.began();
    const store = tx.objectStore(STORE);
    const done = transactionDone(tx);
    let present = 0;
    // A message custody writes may be stored already (by its tab, or another custodian): `add`
    // leaves it as it is, and the refusal, prevented from aborting the transaction, counts it.
    const alreadyStored = (event: Event): void => {
      if ((event.target as IDBRequest).error?.name !== 'ConstraintError') return;
      event.preventDefault();
      event.stopPropagation();
      present++;
    };
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      try {
        if (ifAbsent?.(message)) store.add(toRecord(ns, message)).onerror = alreadyStored;
        else store.put(toRecord(ns, message));
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
    // No early `commit()`: Chromium aborts a transaction committed that way (UnknownError) when
    // one of its requests fails, even a prevented one, as custody's refused `add`s are.
    return done.then(() => present);
  }

  const runOnDb: RunOnDb = (work) => run((db) => work(unwrap(db)));

  /** Deletes the namespace's records up to `upper`, in chunks, unless close() is called meanwhile. */
  function deleteUpTo(upper: IDBValidKey, onChunk?: (removed: number) => void): Promise<number> {
    const started = closings;
    return deleteInChunks({
      runOnDb,
      lower: [ns],
      upper,
      maxWritingChunk: options.gcChunkSize,
      writing: activity.writing,
      durability,
      cmp: (a, b) => factory.cmp(a, b),
      now: () => globalThis.performance?.now() ?? Date.now(),
      pause: nextTask,
      stopped: () => closings !== started,
      ...(onChunk ? { onChunk } : {}),
    });
  }

  return {
    kind: 'indexeddb',
    async open() {
      await database();
    },
    write(messages, ifAbsent) {
      return run((db) => writeBatch(db, messages, ifAbsent));
    },
    query(query) {
      return queryIdb(runOnDb, ns, query);
    },
    async collect(cutoff, maxMessages) {
      const started = closings;
      // Every key up to `cutoff` is expired; records written meanwhile are newer, so outside it.
      const expired = await deleteUpTo([ns, cutoff, AFTER]);
      if (maxMessages === Infinity) return { expired, trimmed: 0 };
      await nextTask();
      if (closings !== started) return { expired, trimmed: 0 };
      // Whether anything is over the limit is asked upwards from the cutoff: a walk down from the
      // newest end that runs out of live keys steps over every deleted record below them (the
      // storage engine keeps them until it compacts), ~0.1 ms each in Chromium.
      const above = IDBKeyRange.bound([ns, cutoff, AFTER], [ns, AFTER], true);
      if ((await keyAt(runOnDb, above, 'next', maxMessages + 1)) === undefined) return { expired, trimmed: 0 };
      // Trimming deletes up to the newest excess record found now, as expiry deletes up to the
      // cutoff: messages written meanwhile are left to the next run, and if another tab deletes
      // some of the same records at the same time, nothing beyond them goes. Walking from the newest
      // end costs `maxMessages` key steps, in short transactions, never a count of the namespace.
      const newestExcess = await keyAt(runOnDb, wholeNamespace(), 'prev', maxMessages + 1);
      return { expired, trimmed: newestExcess === undefined ? 0 : await deleteUpTo(newestExcess) };
    },
    async evictOldest(count, onChunk) {
      if (count <= 0) return 0;
      const last = await keyAt(runOnDb, wholeNamespace(), 'next', count);
      return deleteUpTo(last ?? [ns, AFTER], onChunk);
    },
    count() {
      return countKeys(runOnDb, wholeNamespace());
    },
    clear() {
      return run(async (db) => {
        const tx = db.transaction(STORE, 'readwrite', { durability });
        await tx.store.delete(wholeNamespace());
        await tx.done;
      });
    },
    close() {
      closings++;
      current?.close();
      current = undefined;
    },
    othersWrite: activity.began,
  };
}

function isConnectionLost(error: unknown): boolean {
  const name = domErrorName(error);
  return name === 'InvalidStateError' || name === 'AbortError' || name === 'UnknownError';
}
