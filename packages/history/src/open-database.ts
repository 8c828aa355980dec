import { unwrap, wrap } from 'idb';
import { describeError, domErrorName, HistoryError } from './errors.ts';
import { PATH_INDEX, SCHEMA_VERSION, STORE, type HistoryDb } from './schema.ts';
import { upgradeSchema } from './schema-upgrade.ts';

/** What the connection tells its owner about other tabs and the browser. */
export interface ConnectionEvents {
  /** Our upgrade waits because another tab still has an older version open. */
  blocked(): void;
  /** Another tab wants to upgrade or delete the database: `db` must be closed now. */
  blocking(db: HistoryDb): void;
  /** The browser closed `db` (storage cleared, disk error): reopen before the next use. */
  terminated(db: HistoryDb): void;
}

/**
 * Opens the history database at {@link SCHEMA_VERSION}, upgrading older layouts. When another tab
 * already upgraded it to a newer version, opens that version instead if it still has the store
 * and index this code uses; otherwise rejects with a `HistoryError` (`failure: 'schema'`).
 *
 * Uses the injected `factory` rather than the global `indexedDB`, so tests and private-mode
 * fallbacks can hand in their own.
 */
export async function openHistoryDb(factory: IDBFactory, name: string, events: ConnectionEvents): Promise<HistoryDb> {
  try {
    return await openAt(factory, name, SCHEMA_VERSION, events);
  } catch (error) {
    if (domErrorName(error) !== 'VersionError') throw error;
  }
  const db = await openAt(factory, name, undefined, events);
  const store = db.objectStoreNames.contains(STORE) ? db.transaction(STORE).store : undefined;
  if (store === undefined || !store.indexNames.contains(PATH_INDEX)) {
    db.close();
    throw new HistoryError(
      'UNSUPPORTED',
      'schema',
      `createHistoryAdapter(): the database '${name}' has schema version ${db.version}, newer than this ` +
        `copy of @switchboard/history understands (${SCHEMA_VERSION}); update @switchboard/history in every app of this origin.`,
    );
  }
  return db;
}

async function openAt(
  factory: IDBFactory,
  name: string,
  version: number | undefined,
  events: ConnectionEvents,
): Promise<HistoryDb> {
  const request = version === undefined ? factory.open(name) : factory.open(name, version);
  let upgradeError: unknown;
  request.addEventListener('upgradeneeded', (event) => {
    const transaction = request.transaction!;
    const wrapped = wrap(transaction);
    // idb's `done` rejects when the upgrade aborts; the open request carries that failure.
    wrapped.done.catch((error: unknown) => {
      upgradeError ??= error;
    });
    upgradeSchema(wrap(request.result) as HistoryDb, event.oldVersion, wrapped as never).catch((error: unknown) => {
      upgradeError = error;
      // Aborting rolls the whole upgrade back: the database stays at its old version, intact.
      transaction.abort();
    });
  });
  request.addEventListener('blocked', () => events.blocked());
  let db: HistoryDb;
  try {
    db = (await wrap(request)) as unknown as HistoryDb;
  } catch (error) {
    if (upgradeError === undefined) throw error;
    throw new HistoryError(
      'STORAGE_FAILED',
      'schema',
      `createHistoryAdapter(): upgrading '${name}' to schema version ${SCHEMA_VERSION} failed (${describeError(upgradeError)}); ` +
        'the database was left unchanged. Report this with the error cause.',
      { cause: upgradeError },
    );
  }
  db.addEventListener('versionchange', () => events.blocking(db));
  // 'close' fires only when the browser closes the connection, never on db.close().
  unwrap(db).addEventListener('close', () => events.terminated(db));
  return db;
}
