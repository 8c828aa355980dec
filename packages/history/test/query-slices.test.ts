import { describe, expect, it } from 'vitest';
import type { Message } from '@switchboard/bus';
import { unwrap } from 'idb';
import { queryIdb } from '../src/idb-query.ts';
import { openHistoryDb } from '../src/open-database.ts';
import { planQuery } from '../src/query-plan.ts';
import type { ReadSlice } from '../src/read-slice.ts';
import type { RunOnDb } from '../src/run-merge.ts';
import { compareMessages, STORE, toRecord } from '../src/schema.ts';
import { freshIndexedDB } from './support.ts';

// Slices far smaller than the real ones, so a few dozen records take many transactions.
const TINY: ReadSlice = { page: 3, records: 5, seeks: 2 };
const TOPICS = ['orders.7.created', 'orders.7.paid', 'inventory.7.reserved', 'orders.8.created', 'orders', 'legacy.1'];

function message(id: string, topic: string, ts: number): Message {
  return { id, topic, ts } as Message;
}

/** 60 messages, two ms apart (even ts), and a `runOnDb` that can store one more before each slice. */
async function database() {
  const db = await openHistoryDb(freshIndexedDB(), 'slices', { blocked() {}, blocking() {}, terminated() {} });
  const stored = Array.from({ length: 60 }, (_, i) =>
    message(`w-${i.toString(36)}`, TOPICS[i % TOPICS.length]!, i * 2),
  );
  const tx = db.transaction(STORE, 'readwrite');
  for (const m of stored) void tx.store.put(toRecord('ns', m));
  await tx.done;
  let late: ((slice: number) => Message | undefined) | undefined;
  let slices = 0;
  const landed: Message[] = [];
  // Read-only transactions not yet committed: a slice beginning beside one would hold writes back.
  const raw = unwrap(db);
  const transaction = raw.transaction.bind(raw);
  let open = 0;
  let overlaps = 0;
  raw.transaction = ((...args: Parameters<IDBDatabase['transaction']>) => {
    const tx = transaction(...args);
    if (tx.mode === 'readonly') {
      if (open > 0) overlaps++;
      open++;
      const closed = (): void => void open--;
      tx.addEventListener('complete', closed);
      tx.addEventListener('abort', closed);
    }
    return tx;
  }) as IDBDatabase['transaction'];
  const runOnDb: RunOnDb = async (work) => {
    slices++;
    const m = late?.(slices);
    if (m !== undefined) {
      landed.push(m);
      await db.put(STORE, toRecord('ns', m));
    }
    return work(raw);
  };
  const query = async (pattern: string, limit: number, maxPrefixRecords: number) => {
    slices = 0;
    overlaps = 0;
    const planned = planQuery('getHistory', pattern, { limit }, 1_000, Infinity)!;
    const found = await queryIdb(runOnDb, 'ns', planned, { maxPrefixRecords, slice: TINY });
    return { found, matches: (m: Message) => planned.matches(m.topic), slices, overlaps };
  };
  return {
    stored,
    landed,
    query,
    /** Before each slice, `write(slice)` may return a message to store. */
    writeBetweenSlices(write: (slice: number) => Message | undefined) {
      late = write;
    },
  };
}

// Every read path: prefix reads (`orders.7.#`, `+.7.#`), topic runs found by a skip scan (the same
// with prefix reads off), a root run beside the literal's own (`orders.#`), a lone root run
// (`orders.+.created`) and the time walk (`#`).
const CASES: Array<[pattern: string, maxPrefixRecords: number]> = [
  ['orders.7.#', 100],
  ['+.7.#', 100],
  ['orders.7.#', 0],
  ['+.7.#', 0],
  ['orders.#', 100],
  ['orders.+.created', 100],
  ['#', 100],
];

describe('a query read in slices', () => {
  it.each(CASES)(
    '%s (prefix reads up to %i) returns the newest matches, in order, over many slices',
    async (pattern, max) => {
      const { stored, query } = await database();
      const { found, matches, slices, overlaps } = await query(pattern, 7, max);
      const expected = stored.filter(matches).slice(-7);
      expect(found.map((m) => m.id)).toEqual(expected.map((m) => m.id));
      expect(slices).toBeGreaterThan(1);
      // Each slice began once the one before it had committed.
      expect(overlaps).toBe(0);
    },
  );

  it.each(CASES)('%s (prefix reads up to %i): writes landing between slices never break it', async (pattern, max) => {
    const { stored, landed, query, writeBetweenSlices } = await database();
    // Before each slice, one more message of every topic in turn: newer than all, or (every
    // other one) between two stored ones, as another tab's late write of an older message lands.
    writeBetweenSlices((slice) => {
      const topic = TOPICS[slice % TOPICS.length]!;
      const ts = slice % 2 === 0 ? 1_000 + slice : 2 * (60 - slice) + 1;
      return message(`late-${slice}`, topic, ts);
    });
    const { found, matches } = await query(pattern, 7, max);
    expect(landed.length).toBeGreaterThan(1);
    // In order, each once.
    const ids = found.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...found].sort(compareMessages).map((m) => m.id)).toEqual(ids);
    // Matches only, from what was stored before or during the query.
    const known = new Set([...stored, ...landed].map((m) => m.id));
    for (const m of found) {
      expect(matches(m)).toBe(true);
      expect(known.has(m.id)).toBe(true);
    }
    // Every match stored before the query began and newer than the oldest returned is returned.
    const before = stored.filter(matches);
    expect(found.length).toBeGreaterThanOrEqual(Math.min(7, before.length));
    expect(found.length).toBeLessThanOrEqual(7);
    const oldest = found[0]!;
    const returned = new Set(ids);
    for (const m of before) if (compareMessages(m, oldest) > 0) expect(returned.has(m.id)).toBe(true);
  });
});
