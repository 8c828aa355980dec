import { describe, expect, it } from 'vitest';
import type { Message } from '@switchboard/bus';
import { unwrap } from 'idb';
import { queryIdb } from '../src/idb-query.ts';
import { openHistoryDb } from '../src/open-database.ts';
import { readPrefixes } from '../src/prefix-read.ts';
import { READ_SLICE } from '../src/read-slice.ts';
import { planQuery } from '../src/query-plan.ts';
import type { RunOnDb } from '../src/run-merge.ts';
import { STORE, toRecord } from '../src/schema.ts';
import { freshIndexedDB } from './support.ts';

/** A database of `topics` (message i at ts = i, id `w-i`), and a `runOnDb` that counts its transactions' steps. */
async function database(topics: string[]) {
  const db = await openHistoryDb(freshIndexedDB(), 'prefixes', { blocked() {}, blocking() {}, terminated() {} });
  const tx = db.transaction(STORE, 'readwrite');
  topics.forEach((topic, i) => void tx.store.put(toRecord('ns', { id: `w-${i}`, topic, ts: i } as Message)));
  await tx.done;
  const steps = { count: 0 };
  const runOnDb: RunOnDb = (work) => {
    steps.count++;
    return work(unwrap(db));
  };
  // Prefixes of up to 8 records are read at once, so a few records show the fallback.
  const query = async (pattern: string, limit = Infinity) => {
    steps.count = 0;
    const planned = planQuery('getHistory', pattern, { limit }, topics.length, Infinity)!;
    const found = await queryIdb(runOnDb, 'ns', planned, { maxPrefixRecords: 8, slice: READ_SLICE });
    return found.map((message) => message.topic);
  };
  return { runOnDb, steps, query };
}

describe('prefix reads', () => {
  it('read the prefix itself, its `-` siblings and everything below it, nothing beside', async () => {
    const { runOnDb } = await database([
      'orders.42',
      'orders.42-x',
      'orders.42.a',
      'orders.42.a.b',
      'orders.420.a',
      'orders.4',
      'orders',
      'inventory.42.a',
    ]);
    const records = await readPrefixes(runOnDb, 'ns', ['orders.42'], 8);
    expect(records!.map((record) => record.m.topic).sort()).toEqual([
      'orders.42',
      'orders.42-x',
      'orders.42.a',
      'orders.42.a.b',
    ]);
    expect(await readPrefixes(runOnDb, 'ns', ['orders.42', 'inventory.42'], 3)).toBeUndefined();
  });

  it('answer a narrow pattern in one step, newest first and limited, as `+` and `#` match', async () => {
    const { steps, query } = await database([
      'orders.42.created',
      'orders.42',
      'orders.42.paid',
      'orders.42.a.b',
      'orders.7.created',
      'orders.42.shipped',
      'orders.42-x.created',
    ]);
    expect(await query('orders.42.#')).toEqual([
      'orders.42.created',
      'orders.42',
      'orders.42.paid',
      'orders.42.a.b',
      'orders.42.shipped',
    ]);
    expect(steps.count).toBe(1);
    expect(await query('orders.42.#', 2)).toEqual(['orders.42.a.b', 'orders.42.shipped']);
    expect(await query('orders.42.+', 2)).toEqual(['orders.42.paid', 'orders.42.shipped']);
    expect(await query('orders.42.+.b')).toEqual(['orders.42.a.b']);
    expect(steps.count).toBe(1);
  });

  it('fill a leading `+` with each first segment stored, never `$sys`', async () => {
    const { steps, query } = await database([
      'orders.42.created',
      'inventory.42.reserved',
      '$sys.42.x',
      'orders.7.created',
      'legacy.42',
      'inventory.42.released',
    ]);
    expect(await query('+.42.#')).toEqual([
      'orders.42.created',
      'inventory.42.reserved',
      'legacy.42',
      'inventory.42.released',
    ]);
    // The skip scan over first segments, then one read of every prefix.
    expect(steps.count).toBe(2);
    expect(await query('+.42.+', 1)).toEqual(['inventory.42.released']);
  });

  it('leave a prefix holding more than they read at once to the merge of runs', async () => {
    const topics = Array.from({ length: 20 }, (_, i) => `big.1.${i % 3 === 0 ? 'x' : 'y'}`);
    const { steps, query } = await database(topics);
    expect(await query('big.1.x', 2)).toEqual(['big.1.x', 'big.1.x']);
    const found = await query('big.1.#', 4);
    expect(found).toEqual(topics.slice(-4));
    expect(steps.count).toBeGreaterThan(1);
  });
});
