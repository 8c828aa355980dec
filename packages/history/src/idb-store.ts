import type { Message } from '@switchboard/bus';
import { unwrap } from 'idb';
import { deleteInChunks } from './chunked-delete.ts';
import { describeError, domErrorName, HistoryError, isHistoryError } from './errors.ts';
import type { HistoryStore, StoreQuery } from './history-store.ts';
import { nextTask, realTimePause } from './next-task.ts';
import { openHistoryDb } from './open-database.ts';
import { compareRecords, STORE, TOPIC_INDEX, toRecord, type HistoryDb, type StoredRecord } from './schema.ts';
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

/** What {@link newest} reads from: the object store or its topic index. */
interface Readable {
  getAll(range: IDBKeyRange): Promise<StoredRecord[]>;
  openCursor(range: IDBKeyRange, direction: IDBCursorDirection): Promise<ValueCursor | null>;
}

interface ValueCursor {
  readonly value: StoredRecord;
  continue(): Promise<ValueCursor | null>;
}

// While nobody writes, GC chunks hold this many records: 10,000 expired records go in one
// transaction (~38 ms in Chromium; the same records in 4 chunks took ~60 ms), while a larger
// backlog is still cut up so that a write arriving meanwhile waits for one chunk at most.
const QUIET_CHUNK_SIZE = 10_000;

// While others write, GC pauses this long between chunks. Back to back, 100-record chunks (1-2 ms
// each in Chromium) outpaced the engine's background work: every few runs one chunk stalled for
// 20-45 ms and the writes queued behind it waited as long. Paced, none did (docs/performance-notes.md).
export const WRITING_CHUNK_PAUSE_MS = 3;

// A prefix query sorts its matches itself while there are at most this many per result wanted…
const SPARSE_FACTOR = 8;
// …or this many in all.
const MIN_SORTED_READ = 1_000;

/** The newest `limit` records of a time-ordered range that `accept` keeps, oldest first. */
async function newest(
  source: Readable,
  range: IDBKeyRange,
  limit: number,
  accept: (message: Message) => boolean,
): Promise<Message[]> {
  const found: Message[] = [];
  if (limit === Infinity) {
    for (const record of await source.getAll(range)) if (accept(record.m)) found.push(record.m);
    return found;
  }
  for (let cursor = await source.openCursor(range, 'prev'); cursor; cursor = await cursor.continue()) {
    const message = cursor.value.m;
    if (accept(message) && found.push(message) >= limit) break;
  }
  return found.reverse();
}

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

  function writeBatch(db: HistoryDb, messages: readonly Message[]): Promise<void> {
    // Raw IndexedDB here: one request per message without a promise each keeps big bursts fast.
    const tx = unwrap(db).transaction(STORE, 'readwrite', { durability });
    activity.began();
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
    const { prefix, single, from, fromExclusive, to, limit, accept } = query;
    if (prefix !== undefined && single) {
      // One topic: its index keys are in time order, so the time bounds are part of the range,
      // and one getAll beats a cursor step per message unless the range is much bigger than `limit`.
      const index = tx.store.index(TOPIC_INDEX);
      const range = IDBKeyRange.bound([ns, prefix, from], [ns, prefix, to], fromExclusive);
      if (limit !== Infinity && (await index.count(range)) > Math.max(limit * SPARSE_FACTOR, MIN_SORTED_READ)) {
        return newest(index, range, limit, accept);
      }
      const found = (await index.getAll(range)).map((record) => record.m);
      return found.length > limit ? found.slice(found.length - limit) : found;
    }
    if (prefix !== undefined) {
      // Topics equal to the prefix or below it ('.' sorts just before '/', which no topic holds).
      const index = tx.store.index(TOPIC_INDEX);
      const range = IDBKeyRange.bound([ns, prefix], [ns, `${prefix}/`], false, true);
      // Reading every match and sorting it by time is cheap while matches are few; when they are
      // many compared to `limit`, walking the namespace newest first finds `limit` of them sooner.
      if (limit === Infinity || (await index.count(range)) <= Math.max(limit * SPARSE_FACTOR, MIN_SORTED_READ)) {
        const records = (await index.getAll(range)) as StoredRecord[];
        const found = records.filter(
          ({ m }) => (fromExclusive ? m.ts > from : m.ts >= from) && m.ts <= to && accept(m),
        );
        found.sort(compareRecords);
        return (found.length > limit ? found.slice(found.length - limit) : found).map((record) => record.m);
      }
    }
    const range = IDBKeyRange.bound(fromExclusive ? [ns, from, AFTER] : [ns, from], [ns, to, AFTER], fromExclusive);
    return newest(tx.store, range, limit, accept);
  }

  /** The key of the `n`-th oldest record of the namespace, if it holds that many. */
  function nthOldestKey(n: number): (db: HistoryDb) => Promise<IDBValidKey | undefined> {
    return async (db) => {
      const first = await db.transaction(STORE).store.openKeyCursor(wholeNamespace());
      return (n > 1 ? await first?.advance(n - 1) : first)?.primaryKey;
    };
  }

  /** Deletes the namespace's records up to `upper`, in chunks, unless close() is called meanwhile. */
  function deleteUpTo(upper: IDBValidKey): Promise<number> {
    const started = closings;
    return deleteInChunks({
      run,
      lower: [ns],
      upper,
      chunkSize: options.gcChunkSize,
      maxChunkSize: Math.max(options.gcChunkSize, QUIET_CHUNK_SIZE),
      writing: activity.writing,
      durability,
      cmp: (a, b) => factory.cmp(a, b),
      pause: nextTask,
      pauseWhileWriting: () => realTimePause(WRITING_CHUNK_PAUSE_MS),
      stopped: () => closings !== started,
    });
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
    async collect(cutoff, maxMessages) {
      const started = closings;
      // Every key up to `cutoff` is expired; records written meanwhile are newer, so outside it.
      const expired = await deleteUpTo([ns, cutoff, AFTER]);
      if (maxMessages === Infinity) return { expired, trimmed: 0 };
      await nextTask();
      if (closings !== started) return { expired, trimmed: 0 };
      // Trimming deletes up to the newest excess record found now, as expiry deletes up to the
      // cutoff: messages written meanwhile are left to the next run, and if another tab deletes
      // some of the same records at the same time, nothing beyond them goes.
      const excess = (await run((db) => db.count(STORE, wholeNamespace()))) - maxMessages;
      const last = excess > 0 ? await run(nthOldestKey(excess)) : undefined;
      return { expired, trimmed: last === undefined ? 0 : await deleteUpTo(last) };
    },
    async evictOldest(count) {
      if (count <= 0) return 0;
      const last = await run(nthOldestKey(count));
      return deleteUpTo(last ?? [ns, AFTER]);
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
      closings++;
      current?.close();
      current = undefined;
    },
    othersWrite: activity.began,
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
