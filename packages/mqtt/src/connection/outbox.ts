import type { Message } from '@switchboard/bus';
import { type IDBPDatabase, wrap } from 'idb';

const OUTBOX = 'outbox';
const SETTINGS = 'settings';
const CLIENT_ID = 'clientId';

/**
 * Messages kept for the broker while it is unreachable, in IndexedDB, so they survive the
 * connection tab closing (or every tab closing) and are sent, in order, when a tab of the origin
 * connects again. Also keeps the origin's MQTT client id, which the broker's persistent session
 * is tied to. Records are keyed by an increasing number: key order is send order.
 */
export interface Outbox {
  /** The origin's client id, created with `generate` the first time. */
  clientId(generate: () => string): Promise<string>;
  /** Appends the messages not kept yet. */
  keep(messages: Iterable<Message>): void;
  /** Every kept message, oldest first, including those kept by earlier pages. */
  load(): Promise<Message[]>;
  /** Forgets a message once the broker acknowledged (or refused) it. */
  remove(id: string): void;
  /** Resolves when every write and delete so far is committed. */
  flush(): Promise<void>;
  close(): void;
}

/** How an outbox reports a failure; it then goes on in memory. */
export type OutboxFailure = (error: unknown, what: string) => void;

/** Opens the outbox of database `dbName` lazily; without a factory, keeps nothing (memory only). */
export function createOutbox(factory: IDBFactory | undefined, dbName: string, onFailure: OutboxFailure): Outbox {
  let db: Promise<IDBPDatabase | undefined> | undefined;
  // Key of each record this tab wrote or loaded; -1 while its write is under way.
  const keys = new Map<string, number>();
  const removedWhileWriting = new Set<string>();
  let toWrite: Message[] = [];
  let toDelete: number[] = [];
  let work: Promise<void> = Promise.resolve();
  let scheduled = false;
  let memoryId: string | undefined;

  function open(): Promise<IDBPDatabase | undefined> {
    if (factory === undefined) return Promise.resolve(undefined);
    db ??= new Promise<IDBPDatabase | undefined>((resolve) => {
      const request = factory.open(dbName, 1);
      request.addEventListener('upgradeneeded', () => {
        request.result.createObjectStore(OUTBOX, { autoIncrement: true });
        request.result.createObjectStore(SETTINGS);
      });
      request.addEventListener('success', () => resolve(wrap(request.result)));
      request.addEventListener('error', () => {
        onFailure(request.error, `opening '${dbName}'`);
        resolve(undefined);
      });
      request.addEventListener('blocked', () => {
        onFailure(new Error('another tab holds an older version open'), `opening '${dbName}'`);
      });
    });
    return db;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    work = work.then(async () => {
      scheduled = false;
      const writes = toWrite;
      const deletes = toDelete;
      toWrite = [];
      toDelete = [];
      const database = await open();
      if (database === undefined) return;
      try {
        const tx = database.transaction(OUTBOX, 'readwrite');
        const written = writes.map((message) => tx.store.add(message));
        for (const key of deletes) void tx.store.delete(key);
        const newKeys = await Promise.all(written);
        await tx.done;
        writes.forEach((message, i) => {
          const key = newKeys[i] as number;
          if (removedWhileWriting.delete(message.id)) {
            keys.delete(message.id);
            toDelete.push(key);
            schedule();
          } else {
            keys.set(message.id, key);
          }
        });
      } catch (error) {
        for (const message of writes) keys.delete(message.id);
        onFailure(error, `writing ${writes.length} message(s) to '${dbName}'`);
      }
    });
  }

  return {
    async clientId(generate) {
      const database = await open();
      if (database === undefined) {
        memoryId ??= generate();
        return memoryId;
      }
      try {
        const tx = database.transaction(SETTINGS, 'readwrite');
        let id = (await tx.store.get(CLIENT_ID)) as string | undefined;
        if (id === undefined) {
          id = generate();
          await tx.store.put(id, CLIENT_ID);
        }
        await tx.done;
        return id;
      } catch (error) {
        onFailure(error, `reading the client id in '${dbName}'`);
        memoryId ??= generate();
        return memoryId;
      }
    },
    keep(messages) {
      // Without IndexedDB the tabs' memory is the only outbox.
      if (factory === undefined) return;
      let added = false;
      for (const message of messages) {
        if (keys.has(message.id)) continue;
        keys.set(message.id, -1);
        toWrite.push(message);
        added = true;
      }
      if (added) schedule();
    },
    async load() {
      await work;
      const database = await open();
      if (database === undefined) return [];
      try {
        const tx = database.transaction(OUTBOX, 'readonly');
        const found: Message[] = [];
        for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
          const message = cursor.value as Message;
          keys.set(message.id, cursor.key as number);
          found.push(message);
        }
        return found;
      } catch (error) {
        onFailure(error, `reading '${dbName}'`);
        return [];
      }
    },
    remove(id) {
      const key = keys.get(id);
      if (key === undefined) return;
      if (key === -1) {
        removedWhileWriting.add(id);
        return;
      }
      keys.delete(id);
      toDelete.push(key);
      schedule();
    },
    flush: () => work,
    close() {
      void db?.then((database) => database?.close());
    },
  };
}
