import { forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter, isHistoryError, isSupported, type HistoryError } from '../src/index.ts';
import { createFakeClock } from '@switchboard/testing';
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
  it('on a quota error deletes the oldest records, retries once, and says so', async () => {
    const errors: HistoryError[] = [];
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), onError: (e) => errors.push(e) });
    const bus = createPubSub({ app: 'q' });
    await history.attach(bus);
    for (let i = 0; i < 30; i++) bus.publish('q.old', i);
    await bus.flush();
    failPuts(1);
    bus.publish('q.new', 'after quota');
    await bus.flush();
    expect(history.stats()).toMatchObject({ evicted: 3, errors: 1, spilled: 0, dropped: 0 });
    expect(errors[0]).toMatchObject({ code: 'STORAGE_FAILED', failure: 'quota' });
    expect(errors[0]!.message).toMatch(/the 3 oldest message\(s\) were deleted to make room and the batch was stored/);
    expect(errors[0]!.cause).toMatchObject({ name: 'QuotaExceededError' });
    const kept = await history.getHistory('q.#');
    expect(kept[0]!.payload).toBe(3);
    expect(kept.at(-1)!.payload).toBe('after quota');
  });

  it('keeps messages in memory while the browser still refuses writes after eviction, and stores them later', async () => {
    const errors: HistoryError[] = [];
    const clock = createFakeClock(Date.now());
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), clock, onError: (e) => errors.push(e) });
    const bus = createPubSub({ app: 'q', clock });
    await history.attach(bus);
    const seen: unknown[] = [];
    bus.subscribe('q.#', (m) => void seen.push(m.payload));
    // The write, and the retry after eviction, are refused; the retry a second later is not.
    failPuts(2);
    bus.publish('q.waits', 1);
    await bus.flush();
    expect(errors).toHaveLength(1);
    expect(isHistoryError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ code: 'STORAGE_FAILED', failure: 'quota' });
    expect(errors[0]!.message).toMatch(
      /^history: storage quota exceeded writing 1 message\(s\) .*yet the browser still refuses writes .*wait in memory .*Lower maxMessages or ttlSeconds/,
    );
    expect(errors[0]!.cause).toMatchObject({ name: 'QuotaExceededError' });
    // Later publishes queue behind it, in order, and queries already see them.
    bus.publish('q.also', 2);
    await bus.flush();
    expect(history.stats()).toMatchObject({ spilled: 2, dropped: 0 });
    expect((await history.getHistory('q.#')).map((m) => m.payload)).toEqual([1, 2]);
    expect(seen).toEqual([1, 2]);
    clock.advance(1_000);
    await vi.waitFor(() => expect(history.stats().spilled).toBe(0));
    expect(await history.count()).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('drops the oldest waiting messages beyond maxMessages, counted and reported', async () => {
    const errors: HistoryError[] = [];
    const clock = createFakeClock(Date.now());
    const history = createHistoryAdapter({
      indexedDB: freshIndexedDB(),
      clock,
      maxMessages: 3,
      onError: (e) => errors.push(e),
    });
    const bus = createPubSub({ app: 'q', clock });
    await history.attach(bus);
    failPuts(100);
    for (let i = 0; i < 5; i++) {
      bus.publish('q.x', i);
      await bus.flush();
    }
    expect(history.stats()).toMatchObject({ spilled: 3, dropped: 2 });
    expect(errors.map((e) => e.failure)).toEqual(['quota', 'quota', 'quota']);
    expect(errors[2]!.message).toMatch(
      /1 message\(s\) waiting for storage space were dropped, the oldest first \(2 so far\)/,
    );
    expect((await history.getHistory('q.x')).map((m) => m.payload)).toEqual([2, 3, 4]);
    vi.restoreAllMocks();
    clock.advance(1_000);
    await vi.waitFor(() => expect(history.stats().spilled).toBe(0));
    expect((await history.getHistory('q.x')).map((m) => m.payload)).toEqual([2, 3, 4]);
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

  it('falls back to memory where IndexedDB is missing or refused: warned once, reported through onError and stats', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors: HistoryError[] = [];
    // As in Node, or a browser mode without IndexedDB.
    vi.stubGlobal('indexedDB', undefined);
    const missing = createHistoryAdapter({ dbName: 'missing-db', onError: (e) => errors.push(e) });
    vi.unstubAllGlobals();
    expect(missing.storage).toBe('memory');
    const bus = createPubSub({ app: 'a' });
    await missing.attach(bus);
    bus.publish('m.x', 1);
    await bus.flush();
    expect(await missing.getHistory('m.#')).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ failure: 'unavailable', code: 'UNSUPPORTED' })]);
    expect(missing.stats()).toMatchObject({ storage: 'memory', degraded: 'unavailable', errors: 1 });

    const refusing = freshIndexedDB();
    refusing.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
    const privateMode = createHistoryAdapter({ indexedDB: refusing, dbName: 'private-mode' });
    expect(privateMode.storage).toBe('indexeddb');
    // No onError of its own: the bus's hook hears it.
    const reported: unknown[] = [];
    await privateMode.attach(createPubSub({ app: 'b', onError: (e, context) => reported.push([e, context.adapter]) }));
    expect(privateMode.storage).toBe('memory');
    expect(privateMode.stats()).toMatchObject({ storage: 'memory', degraded: 'unavailable', errors: 1 });
    expect(reported).toEqual([[expect.objectContaining({ failure: 'unavailable', code: 'UNSUPPORTED' }), 'history']]);
    expect((reported[0] as [HistoryError])[0].message).toMatch(
      /IndexedDB database 'private-mode' cannot be opened \(SecurityError: .*\); history falls back to memory/,
    );
    expect(warn.mock.calls.map(([text]) => text)).toEqual([
      expect.stringMatching(/^\[switchboard\] .*IndexedDB is not available here/),
      expect.stringMatching(/^\[switchboard\] .*'private-mode' cannot be opened/),
    ]);
    expect(isSupported()).toBe(true);
  });

  it('keeps memory chosen with indexedDB: null quiet: a warning, no error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors: HistoryError[] = [];
    const chosen = createHistoryAdapter({ indexedDB: null, dbName: 'chosen-memory', onError: (e) => errors.push(e) });
    await chosen.attach(createPubSub({ app: 'a' }));
    expect(chosen.stats()).toMatchObject({ storage: 'memory', degraded: undefined, errors: 0 });
    expect(errors).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
