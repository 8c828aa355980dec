import { describe, expect, it, vi } from 'vitest';
import type { Message } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createCustody } from '../src/custody.ts';
import { STALL_FACTOR, STALL_FLOOR_MS, STALL_IDLE_FACTOR, STALL_ROUNDS } from '../src/custody-stall.ts';
import { createHistoryAdapter } from '../src/index.ts';
import { createTestTabs } from '@switchboard/testing';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createIdbStore } from '../src/idb-store.ts';
import { createMemoryStore } from '../src/memory-store.ts';
import { freshIndexedDB } from './support.ts';

/**
 * One custody ('self-') among writers that are only ids here: each `from(writer)` speaks as one,
 * on a fake clock, and `written` collects what the custody queued for writing.
 */
function unit() {
  const clock = createFakeClock(0);
  const written: Message[] = [];
  const claims: unknown[] = [];
  let own = 0;
  const custody = createCustody({
    db: 'db',
    ns: 'ns',
    clock,
    publish: (topic, payload) => {
      if (topic === '$sys.history.claim') claims.push(payload);
      return { id: `self-${own++}` } as Message;
    },
    write: (messages) => void written.push(...messages),
    log: () => {},
    overflow: () => {},
  });
  custody.hello();
  const seqs = new Map<string, number>();
  const next = (writer: string) => {
    const seq = seqs.get(writer) ?? 0;
    seqs.set(writer, seq + 1);
    return seq;
  };
  const tab = (writer: string) => `tab-${writer}`;
  const system = (writer: string, topic: string, payload: object = {}) =>
    custody.onSystem({
      id: `${writer}-${next(writer).toString(36)}`,
      topic: `$sys.history.${topic}`,
      payload: { db: 'db', ns: 'ns', ...payload },
      origin: { tabId: tab(writer) },
    } as Message);
  /** `writer` publishes a message this tab holds. */
  const publish = (writer: string) => {
    const message = {
      id: `${writer}-${next(writer).toString(36)}`,
      topic: 't',
      ts: clock.now(),
      origin: { tabId: tab(writer) },
    };
    custody.hold(message as Message);
    return message as Message;
  };
  /** `writer` says its own messages up to `to` are stored. */
  const commit = (writer: string, to: number) => system(writer, 'committed', { settled: [[`${writer}-`, 0, to]] });
  const leave = (writer: string) =>
    custody.onSystem({
      id: 'x-0',
      topic: '$sys.tab.left',
      payload: { tabId: tab(writer), reason: 'closed' },
      origin: { tabId: 'self' },
    } as Message);
  const seqOf = (message: Message) => parseInt(message.id.split('-')[1]!, 36);
  return { clock, custody, written, claims, system, publish, commit, leave, seqOf };
}

describe('custody waits on evidence', () => {
  it('writes nothing when the publisher commits in time, however late its tab leaves', () => {
    const { clock, custody, written, system, publish, commit, leave, seqOf } = unit();
    system('w', 'hello');
    const sent = Array.from({ length: 5 }, () => publish('w'));
    clock.advance(5_000);
    commit('w', seqOf(sent.at(-1)!));
    expect(custody.held).toBe(0);
    leave('w');
    clock.advance(10 * STALL_FLOOR_MS);
    expect(written).toEqual([]);
  });

  it('holds nothing at or below the mark its publisher reported', () => {
    const { custody, system, commit, publish } = unit();
    system('w', 'hello');
    const early = publish('w');
    commit('w', 10);
    expect(custody.held).toBe(0);
    // A copy arriving after the notice that covered it (a bfcache replay, say) is not held again.
    custody.hold(early);
    expect(custody.held).toBe(0);
  });

  it('writes everything the publisher left pending when its tab closes, once, from the first custodian', () => {
    const { custody, written, claims, system, publish, commit, leave, seqOf } = unit();
    system('w', 'hello');
    const sent = Array.from({ length: 6 }, () => publish('w'));
    commit('w', seqOf(sent[1]!));
    leave('w');
    expect(written.map((m) => m.id)).toEqual(sent.slice(2).map((m) => m.id));
    expect(claims).toEqual([
      { db: 'db', ns: 'ns', settled: [['w-', seqOf(sent[2]!), seqOf(sent[5]!)]], writers: ['w-'] },
    ]);
    expect(custody.held).toBe(0);
  });

  it('behind another custodian, writes only what its claim left, as soon as it answers', () => {
    const { clock, custody, written, system, publish, leave, seqOf } = unit();
    // 'a-' sorts before 'self-': it is first in line.
    system('a', 'hello');
    system('w', 'hello');
    const sent = Array.from({ length: 4 }, () => publish('w'));
    leave('w');
    clock.advance(STALL_FLOOR_MS - 1);
    expect(written).toEqual([]);
    // It held the first three only (it joined late, say).
    system('a', 'claim', { settled: [['w-', seqOf(sent[0]!), seqOf(sent[2]!)]], writers: ['w-'] });
    expect(written.map((m) => m.id)).toEqual([sent[3]!.id]);
    expect(custody.held).toBe(3);
  });

  it('answers in its turn even with nothing to write, so those behind it need not wait', () => {
    const { custody, claims, system, publish, commit, leave, seqOf } = unit();
    system('a', 'hello');
    system('w', 'hello');
    commit('w', seqOf(publish('w')));
    expect(custody.held).toBe(0);
    leave('w');
    expect(claims).toEqual([]);
    system('a', 'claim', { settled: [], writers: ['w-'] });
    expect(claims).toEqual([{ db: 'db', ns: 'ns', settled: [], writers: ['w-'] }]);
  });

  it('never duplicates a slow custodian that keeps committing, however long its backlog takes', () => {
    const { clock, custody, written, system, publish, leave, seqOf } = unit();
    system('a', 'hello');
    system('w', 'hello');
    const sent = Array.from({ length: 4 }, () => publish('w'));
    leave('w');
    system('a', 'claim', { settled: [['w-', seqOf(sent[0]!), seqOf(sent[3]!)]], writers: ['w-'] });
    // Its claimed write waits behind minutes of its own backlog; it commits a batch every 5 s.
    for (let i = 0; i < 60; i++) {
      const own = publish('a');
      clock.advance(5_000);
      system('a', 'committed', { settled: [['a-', 0, seqOf(own)]] });
    }
    expect(written).toEqual([]);
    expect(custody.held).toBe(4);
    // Then it goes silent for far longer than it ever did: its claim falls through to this tab.
    clock.advance(STALL_IDLE_FACTOR * STALL_FACTOR * 5_000 + 1_000);
    publish('b');
    expect(written.map((m) => m.id)).toEqual(expect.arrayContaining(sent.map((m) => m.id)));
  });

  it('does not duplicate a publisher that is slow but alive, and takes over once the others lap it', () => {
    const { clock, custody, written, publish, system, commit, seqOf } = unit();
    system('w', 'hello');
    // 'x-' sorts after 'self-': this history is first in line.
    system('x', 'hello');
    let last = publish('w');
    // A commit every 10 s under load: each covers what came before.
    for (let i = 0; i < 30; i++) {
      clock.advance(10_000);
      commit('w', seqOf(last));
      last = publish('w');
    }
    expect(written).toEqual([]);
    expect(custody.held).toBe(1);
    // Everyone slower at once (no one else commits): not stalled at its bound.
    clock.advance(STALL_FACTOR * 10_000 + 1_000);
    expect(written).toEqual([]);
    // The others commit round after round (three writers in line: self, w, x) while it does not.
    for (let i = 0; i < 3 * STALL_ROUNDS; i++) commit('x', i);
    clock.advance(1_000);
    expect(written).toHaveLength(1);
    // What it publishes while stalled is taken the same way.
    publish('w');
    clock.advance(1_000);
    expect(written).toHaveLength(2);
  });
});

describe('custody stats', () => {
  it('counts what custody stored and what it found stored already; nothing is stored twice', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const indexedDB = freshIndexedDB();
    const open = async (id: string, batchDelayMs = 0) => {
      const tab = tabs.open(id, 'shop');
      const history = createHistoryAdapter({ indexedDB, clock: tabs.clock, gcIntervalMs: 0, batchDelayMs });
      await history.attach(tab.bus);
      await tabs.settle();
      return { tab, history };
    };
    const b = await open('tab-b');
    const c = await open('tab-c');
    const d = await open('tab-d');
    // Its writes never go: a stuck tab.
    const a = await open('tab-a', 3_600_000);
    for (let i = 0; i < 20; i++) a.tab.bus.publish('orders.placed', { i });
    await tabs.settle();
    // Past the stall bound (nobody else commits, so four times it): the first custodian in line
    // writes them; the others wait for its claim.
    await tabs.advance(STALL_IDLE_FACTOR * STALL_FLOOR_MS + 2_000, 2_000);
    const survivors = [b, c, d].map((t) => t.history);
    const custodied = () => survivors.reduce((sum, h) => sum + h.stats().custodied, 0);
    // fake-indexeddb commits in real macrotasks: wait on the condition, not the clock.
    await vi.waitFor(
      async () => {
        await tabs.settle();
        expect(custodied()).toBe(20);
      },
      { timeout: 2_000, interval: 5 },
    );
    // The slow tab's own write lands later: stored once, and the custodians do nothing more.
    await a.history.flush();
    const reader = createHistoryAdapter({ indexedDB, clock: tabs.clock });
    expect(await reader.count()).toBe(20);
    expect(survivors.reduce((sum, h) => sum + h.stats().custodySkipped, 0)).toBe(0);
    expect(custodied()).toBe(20);
  });
});

describe('writes of custody', () => {
  const message = (i: number) =>
    ({
      id: `w-${i.toString(36)}`,
      topic: 'orders.placed',
      payload: { i },
      ts: 1_000 + i,
      source: 'shop',
      meta: {},
      origin: { tabId: 'w' },
    }) as Message;

  it.each(['indexeddb', 'memory'] as const)(
    'leave what is stored already as it is, and say how many (%s)',
    async (kind) => {
      const options = { maxMessages: 100, onUncloneable: () => {} };
      const store =
        kind === 'memory'
          ? createMemoryStore(options)
          : createIdbStore({
              ...options,
              factory: freshIndexedDB(),
              dbName: 'db',
              namespace: 'ns',
              durability: 'relaxed',
              gcChunkSize: 100,
              log: () => {},
            });
      const first = Array.from({ length: 5 }, (_, i) => message(i));
      expect(await store.write(first)).toBe(0);
      const again = Array.from({ length: 8 }, (_, i) => message(i));
      expect(await store.write(again, () => true)).toBe(5);
      expect(await store.count()).toBe(8);
    },
  );
});
