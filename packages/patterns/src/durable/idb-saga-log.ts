import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { SwitchboardError } from '@switchboard/bus';
import type { SagaLog, SagaRecord } from '../saga-log.ts';

/** Options of {@link createIdbSagaLog}. */
export interface IdbSagaLogOptions {
  /** The IndexedDB database holding the log. @default 'switchboard-sagas' */
  dbName?: string;
}

interface SagaSchema extends DBSchema {
  sagas: { key: string; value: SagaRecord; indexes: { name: string } };
}

const VERSION = 1;

/** `Name: message` of what IndexedDB threw, for error messages. */
function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return `${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : ''}`.trim();
  }
  return String(error);
}

/** True where IndexedDB exists (browsers; Node with fake-indexeddb). */
export function isSupported(): boolean {
  return typeof globalThis.indexedDB !== 'undefined';
}

/**
 * A {@link SagaLog} in IndexedDB, shared by every tab of the origin. Each operation is one
 * readwrite transaction, so claims and conditional writes are atomic across tabs. The database is
 * opened on first use, never at import.
 *
 * @example
 * import { createSaga } from '@switchboard/patterns';
 * import { createIdbSagaLog } from '@switchboard/patterns/durable';
 * const saga = createSaga(bus, { name: 'checkout', durable: createIdbSagaLog(), steps });
 */
export function createIdbSagaLog(options: IdbSagaLogOptions = {}): SagaLog & { close(): void } {
  const dbName = options.dbName ?? 'switchboard-sagas';
  let opening: Promise<IDBPDatabase<SagaSchema>> | undefined;

  function db(fn: string): Promise<IDBPDatabase<SagaSchema>> {
    if (!isSupported()) {
      return Promise.reject(
        new SwitchboardError(
          'UNSUPPORTED',
          `${fn}: IndexedDB is not available here; use createMemorySagaLog() from '@switchboard/patterns' instead.`,
        ),
      );
    }
    // A microtask first: `indexedDB.open` itself throws in some private modes, and that must
    // reject like a failed open, not escape as a raw DOMException.
    opening ??= Promise.resolve().then(() =>
      openDB<SagaSchema>(dbName, VERSION, {
        upgrade(database, oldVersion) {
          if (oldVersion < 1) database.createObjectStore('sagas', { keyPath: 'id' }).createIndex('name', 'name');
        },
        // Another tab upgrades the schema: let it, and reopen on next use.
        blocking(_current, _blocked, event) {
          (event.target as IDBDatabase).close();
          opening = undefined;
        },
        // The browser closed the connection (storage cleared, crash): reopen on next use.
        terminated() {
          opening = undefined;
        },
      }),
    );
    const pending = opening;
    return pending.catch((error: unknown) => {
      if (opening === pending) opening = undefined;
      throw new SwitchboardError(
        'STORAGE_FAILED',
        `${fn}: could not open IndexedDB database '${dbName}' (${describe(error)}); check the site's storage ` +
          `permissions and quota, or use createMemorySagaLog() from '@switchboard/patterns' where IndexedDB is refused.`,
        { cause: error },
      );
    });
  }

  return {
    async write(record) {
      const tx = (await db('SagaLog.write()')).transaction('sagas', 'readwrite');
      const existing = await tx.store.get(record.id);
      if (existing !== undefined && existing.owner !== record.owner) {
        await tx.done;
        return false;
      }
      await Promise.all([tx.store.put(record), tx.done]);
      return true;
    },
    async unfinished(name) {
      return (await db('SagaLog.unfinished()')).getAllFromIndex('sagas', 'name', name);
    },
    async claim(id, owner, now, leaseUntil) {
      const tx = (await db('SagaLog.claim()')).transaction('sagas', 'readwrite');
      const record = await tx.store.get(id);
      if (record === undefined || (record.owner !== owner && record.leaseUntil > now)) {
        await tx.done;
        return undefined;
      }
      const claimed: SagaRecord = { ...record, owner, leaseUntil };
      await Promise.all([tx.store.put(claimed), tx.done]);
      return claimed;
    },
    async remove(id, owner) {
      const tx = (await db('SagaLog.remove()')).transaction('sagas', 'readwrite');
      const record = await tx.store.get(id);
      if (record?.owner === owner) await tx.store.delete(id);
      await tx.done;
    },
    close() {
      void opening?.then(
        (database) => database.close(),
        (error: unknown) => void error,
      );
      opening = undefined;
    },
  };
}
