import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPubSub, type Message } from '@switchboard/bus';
import { createHistoryAdapter, SCHEMA_VERSION, type HistoryError } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

const message = (id: string, topic: string, ts: number): Message => ({
  id,
  topic,
  ts,
  payload: { id },
  source: 'v1-app',
  meta: { correlationId: `c-${id}` },
  origin: { tabId: 'old-tab' },
  depth: 0,
});

/** Creates a database exactly as schema v1 left it: records `{ k, m }`, no prefix index. */
async function createV1Database(indexedDB: IDBFactory, name: string, messages: Message[]): Promise<void> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('messages', { keyPath: 'k' });
    for (const m of messages) store.put({ k: ['default', m.ts, 0, m.id], m });
  };
  const db = await request(open);
  db.close();
}

/** Creates a database exactly as schema v2 left it: records `{ k, n, m }`, the `byTopic` index. */
async function createV2Database(indexedDB: IDBFactory, name: string, messages: Message[]): Promise<void> {
  const open = indexedDB.open(name, 2);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('messages', { keyPath: 'k' });
    store.createIndex('byTopic', ['n', 'm.topic', 'm.ts']);
    for (const m of messages) store.put({ k: ['default', m.ts, 0, m.id], n: 'default', m });
  };
  const db = await request(open);
  db.close();
}

afterEach(() => vi.restoreAllMocks());

describe('schema upgrades', () => {
  it('upgrades a v1 database in place, keeping its messages queryable by prefix', async () => {
    const indexedDB = freshIndexedDB();
    const old = [
      message('a-1', 'orders.1.created', Date.now() - 2),
      message('a-2', 'orders.2.created', Date.now() - 1),
    ];
    await createV1Database(indexedDB, 'legacy', old);

    const history = createHistoryAdapter({ indexedDB, dbName: 'legacy' });
    expect(await history.getHistory('orders.1.#')).toEqual([old[0]]);
    expect(await history.getHistory('orders.#')).toEqual(old);
    const bus = createPubSub({ app: 'new' });
    await history.attach(bus);
    bus.publish('orders.3.created', {});
    await bus.flush();
    expect(await history.getHistory('orders.+.created')).toHaveLength(3);

    const db = await request(indexedDB.open('legacy'));
    expect(db.version).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('upgrades a v2 database: the path index replaces the topic index, every record keeps its key', async () => {
    const indexedDB = freshIndexedDB();
    const now = Date.now();
    const old = Array.from({ length: 600 }, (_, i) => message(`b-${i}`, `orders.${i % 3}.created`, now - 1_000 + i));
    await createV2Database(indexedDB, 'v2', old);
    const history = createHistoryAdapter({ indexedDB, dbName: 'v2' });
    expect(await history.getHistory('orders.1.#', { limit: 2 })).toEqual([old[595], old[598]]);
    expect(await history.count()).toBe(600);
    const db = await request(indexedDB.open('v2'));
    const store = db.transaction('messages').objectStore('messages');
    expect([...store.indexNames]).toEqual(['byPath']);
    expect((await request(store.get(['default', old[0]!.ts, 0, 'b-0']))).p).toEqual([
      ['default', 'orders.', old[0]!.ts],
      ['default', 'orders.0.created', old[0]!.ts],
    ]);
    db.close();
  });

  it('leaves the database untouched when an upgrade fails, and falls back to memory, reported', async () => {
    const indexedDB = freshIndexedDB();
    const old = [message('a-1', 'orders.1.created', Date.now())];
    await createV1Database(indexedDB, 'broken', old);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('disk full during upgrade', 'UnknownError');
    });
    const errors: HistoryError[] = [];
    const history = createHistoryAdapter({ indexedDB, dbName: 'broken', onError: (e) => errors.push(e) });
    expect(await history.getHistory('#')).toEqual([]);
    expect(history.storage).toBe('memory');
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^\[switchboard\] createHistoryAdapter\(\): upgrading 'broken' to schema version 3 failed/),
    );
    expect(errors).toEqual([expect.objectContaining({ failure: 'schema', code: 'STORAGE_FAILED' })]);
    expect(history.stats().degraded).toBe('schema');
    vi.mocked(IDBObjectStore.prototype.put).mockRestore();
    const db = await request(indexedDB.open('broken'));
    expect(db.version).toBe(1);
    db.close();
  });

  it('uses a database another tab upgraded to a newer, compatible version', async () => {
    const indexedDB = freshIndexedDB();
    const history = createHistoryAdapter({ indexedDB, dbName: 'future' });
    const bus = createPubSub({ app: 'a' });
    await history.attach(bus);
    bus.publish('x.y', 1);
    await bus.flush();
    // A newer copy upgrades: our connection gets `versionchange`, closes, and reopens at v3.
    const newer = indexedDB.open('future', SCHEMA_VERSION + 1);
    newer.onupgradeneeded = () => newer.result.createObjectStore('extra');
    (await request(newer)).close();
    bus.publish('x.y', 2);
    await bus.flush();
    expect((await history.getHistory('x.y')).map((m) => m.payload)).toEqual([1, 2]);
    expect(history.storage).toBe('indexeddb');
  });

  it('falls back to memory, saying why, when a newer version dropped what it needs', async () => {
    const indexedDB = freshIndexedDB();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const newer = indexedDB.open('incompatible', SCHEMA_VERSION + 5);
    newer.onupgradeneeded = () => newer.result.createObjectStore('v7-layout');
    (await request(newer)).close();
    const errors: HistoryError[] = [];
    const history = createHistoryAdapter({ indexedDB, dbName: 'incompatible', onError: (e) => errors.push(e) });
    const bus = createPubSub({ app: 'a' });
    await history.attach(bus);
    bus.publish('x.y', 'kept in memory');
    await bus.flush();
    expect(history.storage).toBe('memory');
    expect((await history.getHistory('x.y')).map((m) => m.payload)).toEqual(['kept in memory']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /schema version 8, newer than this copy of @switchboard\/history understands \(3\); update @switchboard\/history/,
    );
    expect(errors).toEqual([expect.objectContaining({ failure: 'schema', code: 'UNSUPPORTED' })]);
  });
});
