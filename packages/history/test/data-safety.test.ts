import { forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter, isHistoryError, isSupported, type HistoryError } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

afterEach(() => vi.restoreAllMocks());

/** Makes the next `times` puts fail as a full disk does. */
function failPuts(times: number) {
  const put = IDBObjectStore.prototype.put;
  let left = times;
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (left > 0) {
      left--;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return put.apply(this, args);
  });
}

/** Captures the connections a factory opens, to close them as the browser would. */
function spyConnections(indexedDB: IDBFactory): IDBDatabase[] {
  const connections: IDBDatabase[] = [];
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args: [string, number?]) => {
    const request = open(...args);
    request.addEventListener('success', () => connections.push(request.result));
    return request;
  };
  return connections;
}

describe('data safety', () => {
  it('on a quota error evicts the oldest records and retries once', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'q' });
    await history.attach(bus);
    for (let i = 0; i < 30; i++) bus.publish('q.old', i);
    await bus.flush();
    failPuts(1);
    bus.publish('q.new', 'after quota');
    await bus.flush();
    expect(history.stats()).toMatchObject({ evicted: 3, errors: 0 });
    const kept = await history.getHistory('q.#');
    expect(kept[0]!.payload).toBe(3);
    expect(kept.at(-1)!.payload).toBe('after quota');
  });

  it('reports a quota error that eviction did not fix through onError, and the bus keeps running', async () => {
    const errors: HistoryError[] = [];
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), onError: (e) => errors.push(e) });
    const bus = createPubSub({ app: 'q' });
    await history.attach(bus);
    const seen: unknown[] = [];
    bus.subscribe('q.#', (m) => void seen.push(m.payload));
    failPuts(2);
    bus.publish('q.lost', 1);
    await bus.flush();
    expect(errors).toHaveLength(1);
    expect(isHistoryError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ code: 'STORAGE_FAILED', failure: 'quota' });
    expect(errors[0]!.message).toMatch(
      /^history: storage quota exceeded writing 1 message\(s\) .*Lower maxMessages or ttlSeconds/,
    );
    expect(errors[0]!.cause).toMatchObject({ name: 'QuotaExceededError' });
    bus.publish('q.kept', 2);
    await bus.flush();
    expect(seen).toEqual([1, 2]);
    expect((await history.getHistory('q.#')).map((m) => m.payload)).toEqual([2]);
  });

  it('without onError, reports storage failures to the bus onError hook', async () => {
    const reported: unknown[] = [];
    const bus = createPubSub({
      app: 'q',
      onError: (error, context) => reported.push([(error as HistoryError).failure, context.adapter]),
    });
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    await history.attach(bus);
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('broken', 'UnknownError');
    });
    bus.publish('w.x', 1);
    await bus.flush();
    expect(reported).toEqual([['write', 'history']]);
  });

  it('closes on versionchange so another tab can upgrade or delete, then reopens', async () => {
    const indexedDB = freshIndexedDB();
    const history = createHistoryAdapter({ indexedDB, dbName: 'shared' });
    const bus = createPubSub({ app: 'a' });
    await history.attach(bus);
    bus.publish('v.x', 1);
    await bus.flush();
    // Another tab deletes the database: this only succeeds because our connection closes.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase('shared');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    bus.publish('v.x', 2);
    await bus.flush();
    expect((await history.getHistory('v.x')).map((m) => m.payload)).toEqual([2]);
  });

  it('waits while its own upgrade is blocked by an older connection, then opens', async () => {
    const indexedDB = freshIndexedDB();
    const old = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('blocked', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('messages', { keyPath: 'k' });
      request.onsuccess = () => resolve(request.result);
    });
    // An old tab that ignores versionchange, until it is closed.
    const log = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const history = createHistoryAdapter({ indexedDB, dbName: 'blocked', debug: true });
    const pending = history.getHistory('#');
    await vi.waitFor(() =>
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/waits until other tabs close an older version/)),
    );
    old.close();
    expect(await pending).toEqual([]);
    expect(history.storage).toBe('indexeddb');
  });

  it('reopens a database the browser closed unexpectedly', async () => {
    const indexedDB = freshIndexedDB();
    const connections = spyConnections(indexedDB);
    const history = createHistoryAdapter({ indexedDB });
    const bus = createPubSub({ app: 'a' });
    await history.attach(bus);
    bus.publish('t.x', 1);
    await bus.flush();
    expect(connections).toHaveLength(1);
    forceCloseDatabase(connections[0]! as never);
    bus.publish('t.x', 2);
    await bus.flush();
    expect(connections).toHaveLength(2);
    expect((await history.getHistory('t.x')).map((m) => m.payload)).toEqual([1, 2]);
  });

  it('degrades to memory once, with a [switchboard] warning, where IndexedDB is missing or refused', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const missing = createHistoryAdapter({ indexedDB: null, dbName: 'missing-db' });
    createHistoryAdapter({ indexedDB: null, dbName: 'missing-db' });
    expect(missing.storage).toBe('memory');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /^\[switchboard\] createHistoryAdapter\(\): IndexedDB is not available here; history is kept in memory/,
    );
    const bus = createPubSub({ app: 'a' });
    await missing.attach(bus);
    bus.publish('m.x', 1);
    await bus.flush();
    expect(await missing.getHistory('m.#')).toHaveLength(1);

    const refusing = freshIndexedDB();
    refusing.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
    const privateMode = createHistoryAdapter({ indexedDB: refusing, dbName: 'private-mode' });
    expect(privateMode.storage).toBe('indexeddb');
    await privateMode.attach(createPubSub({ app: 'b' }));
    expect(privateMode.storage).toBe('memory');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatch(
      /IndexedDB database 'private-mode' cannot be opened \(SecurityError: .*\); history falls back to memory/,
    );
    expect(isSupported()).toBe(true);
  });
});
