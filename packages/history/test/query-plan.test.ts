import { describe, expect, it } from 'vitest';
import { createPubSub, type Clock, type Message } from '@switchboard/bus';
import { unwrap } from 'idb';
import { createHistoryAdapter } from '../src/index.ts';
import { planRuns } from '../src/idb-query.ts';
import { openHistoryDb } from '../src/open-database.ts';
import { patternMatcher } from '../src/pattern-match.ts';
import { planQuery } from '../src/query-plan.ts';
import type { RunOnDb } from '../src/run-merge.ts';
import { STORE, toRecord } from '../src/schema.ts';
import { nextCandidate } from '../src/skip-scan.ts';
import { freshIndexedDB } from './support.ts';

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

// Segments chosen to meet the ordering traps: `a` < `a-b` < `a.` < `a0` < `ab` < `b`.
const SEGMENTS = ['a', 'a-b', 'a0', 'ab', 'b', 'b_c'];

function randomTopic(pick: (n: number) => number): string {
  const depth = 1 + pick(4);
  return Array.from({ length: depth }, () => SEGMENTS[pick(SEGMENTS.length)]!).join('.');
}

function randomPattern(pick: (n: number) => number): string {
  const depth = 1 + pick(4);
  const segments = Array.from({ length: depth }, () => {
    const r = pick(10);
    return r < 2 ? '+' : SEGMENTS[pick(SEGMENTS.length)]!;
  });
  if (pick(3) === 0) segments.push('#');
  return segments.join('.');
}

/** A manual clock: timers never fire (GC stays off). */
function manualClock(): Clock & { set(t: number): void } {
  let now = 0;
  return {
    now: () => now,
    set: (t) => {
      now = t;
    },
    setTimeout: () => 0,
    clearTimeout: () => {},
  };
}

describe('nextCandidate', () => {
  it('never skips a topic the pattern matches (checked against every topic of random sets)', () => {
    const pick = random(7);
    for (let round = 0; round < 300; round++) {
      const topics = [...new Set(Array.from({ length: 40 }, () => randomTopic(pick)))].sort();
      const pattern = randomPattern(pick).replace(/^\+/, 'a');
      const segments = pattern.split('.');
      const literal = segments
        .slice(
          0,
          segments.findIndex((s) => s === '+' || s === '#'),
        )
        .join('.');
      if (literal === '' || !literal.includes('.')) continue;
      // The skip scan of idb-query.ts, over a sorted list instead of an index.
      const under = topics.filter((t) => t >= `${literal}.` && t < `${literal}/`);
      const matches = patternMatcher(pattern);
      const kept: string[] = [];
      let i = 0;
      let seeks = 0;
      while (i < under.length) {
        const topic = under[i]!;
        if (matches(topic)) {
          kept.push(topic);
          i++;
          continue;
        }
        const next = nextCandidate(topic, segments);
        if (next === null) break;
        if (next === undefined) {
          i++;
          continue;
        }
        expect(next > topic).toBe(true);
        seeks++;
        while (i < under.length && under[i]! < next) i++;
      }
      expect(kept).toEqual(under.filter(matches));
      expect(seeks).toBeLessThanOrEqual(under.length);
    }
  });
});

describe('query plans', () => {
  /** A database of the given topics (one message each at ts = position), and the planner on it. */
  async function planner(topics: string[]) {
    const factory = freshIndexedDB();
    const db = await openHistoryDb(factory, 'plans', { blocked() {}, blocking() {}, terminated() {} });
    const tx = db.transaction(STORE, 'readwrite');
    topics.forEach((topic, i) => void tx.store.put(toRecord('ns', { id: `w-${i}`, topic, ts: i } as Message)));
    await tx.done;
    const runOnDb: RunOnDb = (work) => work(unwrap(db));
    return async (pattern: string) => {
      const query = planQuery('getHistory', pattern, {}, 1_000, Infinity)!;
      return (await planRuns(runOnDb, 'ns', query)).map((run) => run.path ?? '<time walk>');
    };
  }

  it('reads one run per topic, the root run, per-first-segment runs, or the time walk', async () => {
    const plan = await planner([
      'orders',
      'orders.1.created',
      'orders.1.paid',
      'orders.2.created',
      'inventory.1.reserved',
      'legacy.x',
      '$sys.tab.joined',
    ]);
    expect(await plan('orders.1.paid')).toEqual(['orders.1.paid']);
    expect(await plan('orders.#')).toEqual(['orders', 'orders.']);
    expect(await plan('orders.+.created')).toEqual(['orders.']);
    expect(await plan('orders.1.#')).toEqual(['orders.1', 'orders.1.created', 'orders.1.paid']);
    expect(await plan('orders.+.+')).toEqual(['orders.']);
    expect(await plan('+.1.#')).toEqual([
      'inventory.1',
      'inventory.1.reserved',
      'legacy.1',
      'orders.1',
      'orders.1.created',
      'orders.1.paid',
    ]);
    expect(await plan('#')).toEqual(['<time walk>']);
  });

  it('falls back to the root run when a prefix holds too many topics to merge one by one', async () => {
    const plan = await planner(Array.from({ length: 300 }, (_, i) => `wide.${i}.x`));
    expect(await plan('wide.+.x')).toEqual(['wide.']);
    expect((await plan('wide.7.#')).length).toBe(2);
  });
});

describe('getHistory against a plain filter', () => {
  it('returns exactly the newest matches, in key order, for random patterns, windows and limits', async () => {
    const pick = random(11);
    const clock = manualClock();
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), clock, ttlSeconds: Infinity });
    const bus = createPubSub({ app: 'q', clock });
    await history.attach(bus);
    const sent: Message[] = [];
    for (let i = 0; i < 400; i++) {
      // Few distinct times: many messages share a millisecond, across page boundaries.
      clock.set(pick(40));
      sent.push(bus.publish(randomTopic(pick), i));
    }
    await bus.flush();
    const byKey = [...sent].sort((a, b) => a.ts - b.ts || seqOf(a) - seqOf(b));
    let nonEmpty = 0;
    for (let round = 0; round < 60; round++) {
      const pattern = randomPattern(pick);
      const limit = [1, 3, 10, 50, Infinity][pick(5)]!;
      const fromTime = pick(3) === 0 ? pick(40) : undefined;
      const toTime = pick(3) === 0 ? pick(40) : undefined;
      const matches = patternMatcher(pattern);
      const expected = byKey.filter(
        (m) => matches(m.topic) && m.ts >= (fromTime ?? -Infinity) && m.ts <= (toTime ?? Infinity),
      );
      const options = {
        limit,
        ...(fromTime === undefined ? {} : { fromTime }),
        ...(toTime === undefined ? {} : { toTime }),
      };
      const found = await history.getHistory(pattern, options);
      if (found.length > 1) nonEmpty++;
      expect(
        found.map((m) => m.id),
        `${pattern} ${JSON.stringify(options)}`,
      ).toEqual(expected.slice(limit === Infinity ? 0 : Math.max(0, expected.length - limit)).map((m) => m.id));
    }
    // The comparison means something only if most queries found several messages.
    expect(nonEmpty).toBeGreaterThan(30);
  });
});

function seqOf(message: Message): number {
  return parseInt(message.id.slice(message.id.lastIndexOf('-') + 1), 36);
}
