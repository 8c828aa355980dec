import { describe, expect, it, vi } from 'vitest';
import type { Message } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createTestTabs, type TestTab, type TestTabs } from '@switchboard/testing';
import { createCustody, UNKNOWN_WRITER_MS } from '../src/custody.ts';
import { STALL_FACTOR, STALL_FLOOR_MS, STALL_IDLE_FACTOR } from '../src/custody-stall.ts';
import { createHistoryAdapter, type HistoryAdapter, type HistoryOptions } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

// A batch delay no test reaches: that tab's writes stay pending, as in a tab closed mid-write.
const NEVER_WRITES = 3_600_000;

/** Tabs linked by cross-tab on a fake clock, each with a history of one shared database. */
function setup() {
  const tabs = createTestTabs({ attachCrossTab });
  const indexedDB = freshIndexedDB();
  const all: Array<{ tab: TestTab; history: HistoryAdapter }> = [];
  async function open(id: string, options: HistoryOptions = {}) {
    const tab = tabs.open(id, 'shop');
    const history = createHistoryAdapter({ indexedDB, clock: tabs.clock, gcIntervalMs: 0, ...options });
    await history.attach(tab.bus);
    await tabs.settle();
    const entry = { tab, history };
    all.push(entry);
    return entry;
  }
  /** Everything stored under `pattern`, read by a history that is not attached. */
  const reader = createHistoryAdapter({ indexedDB, clock: tabs.clock });
  const stored = (pattern = '#') => reader.getHistory(pattern);
  return { tabs, open, stored, all };
}

/** Waits on IndexedDB (real macrotasks in fake-indexeddb) and the channel until `condition` holds. */
async function until(tabs: TestTabs, condition: () => boolean | Promise<boolean>): Promise<void> {
  await vi.waitFor(
    async () => {
      await tabs.settle();
      if (!(await condition())) throw new Error('not yet');
    },
    { timeout: 2_000, interval: 5 },
  );
}

const ids = (messages: Message[]) => messages.map((message) => message.id);
const sorted = (values: string[]) => [...values].sort();

describe('custody', () => {
  it('stores, exactly once, what a tab published and could not write before it closed', async () => {
    const { tabs, open, stored } = setup();
    const b = await open('tab-b');
    const c = await open('tab-c');
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    const sent = Array.from({ length: 50 }, (_, i) => a.tab.bus.publish('orders.placed', { i }));
    await tabs.settle();
    expect(b.history.stats().held).toBe(50);
    expect(c.history.stats().held).toBe(50);
    a.tab.close();
    await until(tabs, async () => (await stored()).length === 50);
    // Long past any custodian's fallback: nobody writes them again.
    await tabs.advance(STALL_FLOOR_MS * 3, 1_000);
    expect(sorted(ids(await stored()))).toEqual(sorted(sent.map((m) => m.id)));
    // One custodian wrote them; the other saw its notice and wrote nothing.
    expect(b.history.stats().custodied + c.history.stats().custodied).toBe(50);
    expect(b.history.stats().custodySkipped + c.history.stats().custodySkipped).toBe(0);
    expect([b.history.stats().held, c.history.stats().held]).toEqual([0, 0]);
    // The closed tab's own write landing late (a crash after commit, say) stores nothing twice.
    tabs.clock.advance(NEVER_WRITES);
    await a.history.flush();
    expect(sorted(ids(await stored()))).toEqual(sorted(sent.map((m) => m.id)));
  });

  it('hands custody on when the custodian leaves before its write is confirmed', async () => {
    const { tabs, open, stored } = setup();
    const b = await open('tab-b');
    const c = await open('tab-c');
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    const sent = Array.from({ length: 30 }, (_, i) => a.tab.bus.publish('orders.placed', { i }));
    await tabs.settle();
    a.tab.close();
    await tabs.settle();
    // One of them claimed at once; it leaves before its commit notice can go out.
    const [claimer, other] = b.history.stats().held === 0 ? [b, c] : [c, b];
    expect(claimer.history.stats()).toMatchObject({ held: 0, pendingWrites: 30 });
    expect(other.history.stats()).toMatchObject({ custodied: 0, held: 30 });
    claimer.tab.close();
    await tabs.settle();
    await until(tabs, async () => (await stored()).length === 30);
    // Written by the other, or found stored already if the claimer's write landed before it left.
    await until(tabs, () => other.history.stats().custodied + other.history.stats().custodySkipped === 30);
    expect(sorted(ids(await stored()))).toEqual(sorted(sent.map((m) => m.id)));
  });

  it('writes nothing twice when the publishing tab commits and says so', async () => {
    const { tabs, open, stored } = setup();
    const a = await open('tab-a');
    const b = await open('tab-b');
    for (let i = 0; i < 20; i++) a.tab.bus.publish('orders.placed', { i });
    await a.tab.bus.flush();
    await until(tabs, () => b.history.stats().held === 0);
    a.tab.close();
    await tabs.advance(STALL_FLOOR_MS * 3, 1_000);
    expect(b.history.stats().custodied).toBe(0);
    expect(await stored()).toHaveLength(20);
  });

  it('takes custody from a tab that crashed, once presence times it out', async () => {
    const { tabs, open, stored } = setup();
    const b = await open('tab-b');
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    for (let i = 0; i < 10; i++) a.tab.bus.publish('orders.placed', { i });
    await tabs.settle();
    a.tab.crash();
    await tabs.advance(4_000);
    expect(b.history.stats().custodied).toBe(0);
    await tabs.advance(6_000);
    await until(tabs, async () => (await stored()).length === 10);
    expect(b.history.stats().custodied).toBe(10);
  });

  it('puts together what each survivor received when none received everything', async () => {
    const { tabs, open, stored } = setup();
    const b = await open('tab-b');
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    const early = Array.from({ length: 10 }, (_, i) => a.tab.bus.publish('feed.item', { i }));
    await tabs.settle();
    // A tab that joined later holds only what came after; whichever survivor writes first, the
    // other writes what the first lacked.
    const d = await open('tab-d');
    const late = Array.from({ length: 10 }, (_, i) => a.tab.bus.publish('feed.item', { i: 10 + i }));
    await tabs.settle();
    expect(d.history.stats().held).toBe(10);
    a.tab.close();
    await tabs.advance(STALL_FLOOR_MS * 3, 1_000);
    await until(tabs, async () => (await stored()).length === 20);
    expect(sorted(ids(await stored()))).toEqual(sorted([...early, ...late].map((m) => m.id)));
    expect(b.history.stats().held + d.history.stats().held).toBe(0);
  });

  it('never stores the messages of a tab that runs no history for this database', async () => {
    const { tabs, open, stored } = setup();
    const b = await open('tab-b');
    const bare = tabs.open('tab-bare', 'shop');
    for (let i = 0; i < 5; i++) bare.bus.publish('orders.placed', { i });
    await tabs.settle();
    expect(b.history.stats().held).toBe(5);
    await tabs.advance(UNKNOWN_WRITER_MS + 1_000);
    // Noticed on the next message: the old ones are let go.
    bare.bus.publish('orders.placed', { i: 5 });
    await tabs.settle();
    expect(b.history.stats().held).toBe(1);
    bare.close();
    await tabs.advance(STALL_FLOOR_MS * 3, 1_000);
    expect(b.history.stats()).toMatchObject({ held: 0, custodied: 0 });
    expect(await stored()).toEqual([]);
  });

  it('learns the writers that were there before it, from their answers to its hello', async () => {
    const { tabs, open, stored } = setup();
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    const b = await open('tab-b');
    a.tab.bus.publish('orders.placed', 1);
    await tabs.settle();
    // Past the grace for unknown writers: held only because a answered b's hello.
    await tabs.advance(UNKNOWN_WRITER_MS + 1_000);
    a.tab.bus.publish('orders.placed', 2);
    await tabs.settle();
    expect(b.history.stats().held).toBe(2);
    a.tab.close();
    await tabs.settle();
    await until(tabs, async () => (await stored()).length === 2);
  });

  it('lets go of a writer that detached: it writes its queued messages itself', async () => {
    const { tabs, open } = setup();
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    const b = await open('tab-b');
    a.tab.bus.publish('orders.placed', 1);
    await tabs.settle();
    expect(b.history.stats().held).toBe(1);
    a.history.detach();
    await tabs.settle();
    expect(b.history.stats().held).toBe(0);
  });

  it('writes what it holds of a writer that made no progress for its stall bound (a frozen tab)', async () => {
    const { tabs, open, stored } = setup();
    const b = await open('tab-b');
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    a.tab.bus.publish('orders.placed', 1);
    await tabs.settle();
    // Nobody else commits, so nothing laps it: four times its bound.
    await tabs.advance(STALL_IDLE_FACTOR * STALL_FLOOR_MS + 2_000, 2_000);
    // What it publishes while stalled is taken at the next check, a second after it arrives.
    a.tab.bus.publish('orders.placed', 2);
    await tabs.advance(2_000);
    await until(tabs, async () => (await stored()).length === 2);
    expect(b.history.stats()).toMatchObject({ custodied: 2, held: 0 });
  });

  it('replays what another tab published and has not stored yet, once', async () => {
    const { tabs, open } = setup();
    const a = await open('tab-a', { batchDelayMs: NEVER_WRITES });
    const b = await open('tab-b');
    const sent = Array.from({ length: 5 }, (_, i) => a.tab.bus.publish('feed.item', i));
    await tabs.settle();
    const seen: Message[] = [];
    await b.history.subscribe('feed.#', (message) => void seen.push(message));
    expect(ids(seen)).toEqual(ids(sent));
    const next = a.tab.bus.publish('feed.item', 5);
    await tabs.settle();
    expect(ids(seen)).toEqual(ids([...sent, next]));
  });
});

describe('custody limits', () => {
  /** A custody on a hand-moved clock, with a writer 'w-' known from its hello. */
  function unit(maxHeld?: number) {
    const clock = { now: 0, setTimeout: () => 0, clearTimeout: () => {} };
    const written: Message[][] = [];
    const overflows: number[] = [];
    let seq = 0;
    const custody = createCustody({
      db: 'db',
      ns: 'ns',
      clock: { ...clock, now: () => clock.now },
      ...(maxHeld === undefined ? {} : { maxHeld }),
      publish: () => ({ id: `self-${seq++}` }) as Message,
      write: (messages) => void written.push(messages),
      log: () => {},
      overflow: () => void overflows.push(clock.now),
    });
    custody.hello();
    const system = (topic: string, payload: object) =>
      custody.onSystem({
        id: `w-${1_000 + seq++}`,
        topic,
        payload: { db: 'db', ns: 'ns', ...payload },
        origin: { tabId: 'other' },
      } as Message);
    system('$sys.history.hello', {});
    const from = (i: number) => ({ id: `w-${i}`, topic: 't', ts: clock.now, origin: { tabId: 'other' } }) as Message;
    return { clock, custody, written, overflows, system, from };
  }

  it('never writes the backlog of a writer that is slow but keeps committing; writes it once it stops', () => {
    const { clock, custody, written, system, from } = unit();
    for (let i = 0; i < 3; i++) custody.hold(from(i));
    // A notice every 50 s: the oldest held message ages past the limit, the writer does not.
    for (let i = 0; i < 2; i++) {
      clock.now += 50_000;
      system('$sys.history.committed', { settled: [['w-', 0, i]] });
      custody.hold(from(10 + i));
    }
    expect(written).toEqual([]);
    expect(custody.held).toBe(3);
    // It made this tab wait 50 s, and nobody else commits: stalled after 4 x 8 times that.
    clock.now += STALL_IDLE_FACTOR * STALL_FACTOR * 50_000 - 1;
    custody.hold(from(12));
    expect(written).toEqual([]);
    // Checked at most once a second.
    clock.now += 1_000;
    custody.hold(from(20));
    expect(written.flat().map((m) => m.id)).toEqual(['w-2', 'w-10', 'w-11', 'w-12', 'w-20']);
    expect(custody.held).toBe(0);
  });

  it('stops holding at maxHeld, says so once per episode, and holds again once the hold drains', () => {
    const { clock, custody, overflows, system, from } = unit(3);
    for (let i = 0; i < 5; i++) custody.hold(from(i));
    expect(custody.held).toBe(3);
    expect(overflows).toEqual([0]);
    // Its writer settles the first three: held again, and a later overflow is reported again.
    clock.now = 5;
    system('$sys.history.committed', { settled: [['w-', 0, 2]] });
    expect(custody.held).toBe(0);
    for (let i = 5; i < 9; i++) custody.hold(from(i));
    expect(custody.held).toBe(3);
    expect(overflows).toEqual([0, 5]);
  });
});
