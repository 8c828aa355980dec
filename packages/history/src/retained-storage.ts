import type { Message } from '@switchboard/bus';
import { openDB, type IDBPDatabase } from 'idb';
import { describeError, HistoryError } from './errors.ts';

const STORE = 'retained';

/** What `@switchboard/bus/retained` looks up under the service name `'retained.storage'`. */
export interface RetainedStorageService {
  load(): Promise<Message[]>;
  put(message: Message): void;
  remove(topic: string): void;
  /** Resolves once every put and remove so far is committed. */
  flush(): Promise<void>;
}

/**
 * The retained messages of an origin in IndexedDB, keyed by topic, so a tab that opens when no
 * other is alive still gets them. A database of its own beside the history's (`<dbName>:retained`):
 * its layout never waits on the history's upgrades. Writes of one task go in one transaction.
 */
export function createRetainedStorage(
  factory: IDBFactory,
  dbName: string,
  report: (error: HistoryError) => void,
): RetainedStorageService {
  let opening: Promise<IDBPDatabase> | undefined;
  let pending = new Map<string, Message | null>();
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();

  function open(): Promise<IDBPDatabase> {
    opening ??= openDB(`${dbName}:retained`, 1, {
      indexedDB: factory,
      upgrade: (db) => void db.createObjectStore(STORE),
      blocking: () => {
        void opening?.then((db) => db.close());
        opening = undefined;
      },
      terminated: () => {
        opening = undefined;
      },
    } as Parameters<typeof openDB>[2]);
    return opening;
  }

  function fail(action: string, error: unknown): void {
    report(
      new HistoryError(
        'STORAGE_FAILED',
        action === 'read' ? 'read' : 'write',
        `history: ${action} of retained messages in '${dbName}:retained' failed (${describeError(error)}); ` +
          'a tab that opens alone may miss them. The bus keeps running.',
        { cause: error },
      ),
    );
  }

  async function write(): Promise<void> {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    try {
      const tx = (await open()).transaction(STORE, 'readwrite');
      for (const [topic, message] of batch) {
        if (message === null) void tx.store.delete(topic);
        else void tx.store.put(message, topic);
      }
      await tx.done;
    } catch (error) {
      fail('writing', error);
    }
  }

  function queue(topic: string, message: Message | null): void {
    pending.set(topic, message);
    if (scheduled) return;
    scheduled = true;
    // One write at a time, in order: a put and a later remove of a topic never swap.
    writing = writing.then(write);
  }

  return {
    async load() {
      try {
        return (await (await open()).getAll(STORE)) as Message[];
      } catch (error) {
        fail('read', error);
        return [];
      }
    },
    put: (message) => queue(message.topic, message),
    remove: (topic) => queue(topic, null),
    flush: () => writing,
  };
}
