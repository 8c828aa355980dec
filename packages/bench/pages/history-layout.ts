import type { Message } from '@switchboard/bus';

// The history's IndexedDB layouts, written out for the hand-written baselines, so that a
// baseline writes, deletes and queries exactly what the adapter does. `checkLayout` compares a
// record the adapter stored with the one written here, so the two cannot drift apart silently.

export const STORE = 'messages';

/** `[namespace, ts, seq, id]`: the adapter's primary key. */
export type RecordKey = [string, number, number, string];

/** A record of the adapter's layout (schema v3): key, namespace, paths, message. */
export interface V3Record {
  k: RecordKey;
  n: string;
  p: Array<[string, string, number]>;
  m: Message;
}

/** A record of the classic layout: one `[namespace, topic, ts]` index (schema v2). */
export interface ClassicRecord {
  k: RecordKey;
  n: string;
  m: Message;
}

function sequenceOf(id: string): number {
  const match = /-([0-9a-z]{1,10})$/.exec(id);
  return match ? parseInt(match[1]!, 36) : 0;
}

function keyOf(namespace: string, m: Message): RecordKey {
  return [namespace, m.ts, sequenceOf(m.id), m.id];
}

export function v3Record(namespace: string, m: Message): V3Record {
  const dot = m.topic.indexOf('.');
  const p: Array<[string, string, number]> =
    dot === -1
      ? [[namespace, m.topic, m.ts]]
      : [
          [namespace, m.topic.slice(0, dot + 1), m.ts],
          [namespace, m.topic, m.ts],
        ];
  return { k: keyOf(namespace, m), n: namespace, p, m };
}

export function classicRecord(namespace: string, m: Message): ClassicRecord {
  return { k: keyOf(namespace, m), n: namespace, m };
}

/** Resolves when a request succeeds or a transaction completes. */
export function done<T>(target: IDBRequest<T> | IDBTransaction): Promise<T> {
  return new Promise((resolve, reject) => {
    if (target instanceof IDBTransaction) {
      target.oncomplete = () => resolve(undefined as T);
      target.onabort = () => reject(target.error ?? new Error('transaction aborted'));
    } else {
      target.onsuccess = () => resolve(target.result);
      target.onerror = () => reject(target.error);
    }
  });
}

/** Opens (creating) a database of the adapter's layout, or of the classic one. */
export function openLayout(name: string, layout: 'v3' | 'classic'): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'k' });
      if (layout === 'v3') store.createIndex('byPath', 'p', { multiEntry: true });
      else store.createIndex('byTopic', ['n', 'm.topic', 'm.ts']);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Opens an existing database at its current version (the adapter's own, for reading it raw). */
export function openExisting(name: string): Promise<IDBDatabase> {
  return done(indexedDB.open(name));
}

/** Throws unless the adapter stored `m` exactly as {@link v3Record} writes it. */
export async function checkLayout(adapterDb: IDBDatabase, namespace: string, m: Message): Promise<void> {
  const stored = await done<V3Record | undefined>(
    adapterDb.transaction(STORE).objectStore(STORE).get(keyOf(namespace, m)),
  );
  const mine = v3Record(namespace, m);
  if (stored === undefined) throw new Error(`checkLayout(): the adapter has no record under ${JSON.stringify(mine.k)}`);
  if (JSON.stringify(stored.p) !== JSON.stringify(mine.p) || stored.n !== mine.n) {
    throw new Error(
      `checkLayout(): the adapter's record differs from the baseline's (${JSON.stringify(stored.p)} vs ${JSON.stringify(mine.p)}); update pages/history-layout.ts`,
    );
  }
}

/** `performance.now()` on a clock shared by every tab of the browser (ms since the epoch). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
