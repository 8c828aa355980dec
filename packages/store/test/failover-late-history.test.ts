import { describe, expect, it } from 'vitest';
import { attachStores, defineStore, type Store, type StoreDefinition } from '../src/index.ts';
import type { TestTabs } from '@switchboard/testing';
import type { StoreState } from '../src/protocol.ts';
import { delayedChannels, leaderAndHeldTab, type StoreTab, storeTabs } from './support.ts';

const counter = defineStore({ name: 'late-history.counter', initial: 0, owner: 'app', scope: 'origin' });
const names = defineStore({ name: 'late-history.names', initial: [] as string[], owner: 'app', scope: 'origin' });
const tally = defineStore({
  name: 'late-history.tally',
  initial: 0,
  owner: 'app',
  scope: 'origin',
  events: ['tally.added'],
  commands: {
    add: (n, by: number, ctx) => {
      ctx.emit('tally.added', by);
      return n + by;
    },
  },
});

const statsOf = (tab: StoreTab) => attachStores(tab.bus).stats();
/** The states `tab` published that ask the tabs to run writes again (a merge). */
const replaysBy = (tab: StoreTab) =>
  tab.seen.filter(
    (message) =>
      message.topic.startsWith('$sys.store.state.') &&
      message.origin.tabId === tab.bus.tabId &&
      ((message.payload as StoreState).merge?.replay.length ?? 0) > 0,
  );

/** Fake time and microtasks only: a tab refused forever would loop in microtasks, never in macrotasks. */
async function settleUntil(tabs: TestTabs, condition: () => boolean, ms = 10_000): Promise<void> {
  for (let waited = 0; waited < ms && !condition(); waited += 100) await tabs.advance(100, 50);
}

/**
 * The old leader's last commits reached one tab only, which answered the new leader's election
 * after it ended on the timer; the new leader wrote the store meanwhile. Both histories hold
 * acknowledged writes: every tab must end with all of them, each once.
 */
describe('a late tab holds commits the new leader never saw, and the new leader wrote since', () => {
  it("keeps the old leader's, the late tab's and the new leader's writes, each once", async () => {
    const { tabs, until, a, b, toB, inA, inB, inC } = await leaderAndHeldTab((tab) => tab.stores.get(counter));
    // B hears nothing more from A or C for now: A's commits, C's proposals and its late answer.
    toB.hold('tab-a', 'tab-c');

    const fromA = inA.update((n) => n + 1);
    const fromC = inC.update((n) => n + 10);
    await until(() => inC.pending === 0 && inC.version === 2);
    expect([await fromA, await fromC]).toEqual([1, 2]);
    a.close();
    await until(() => statsOf(b).role === 'sequencing');
    expect(inB.version).toBe(0);

    // The new leader writes at its version 0: acknowledged too.
    const fromB = inB.update((n) => n + 100);
    await until(() => inB.pending === 0);
    expect(await fromB).toBe(1);

    toB.release();
    await settleUntil(tabs, () => inB.get() === 111 && inC.get() === 111 && inB.version === inC.version);
    expect([inB.get(), inC.get()]).toEqual([111, 111]);
    expect([inB.pending, inC.pending]).toEqual([0, 0]);
    expect(statsOf(b).diverged).toBe(0);
    expect(b.errors).toEqual([]);
    // B took the earlier history and had its own write run again.
    expect(replaysBy(b)).toHaveLength(1);

    // And the store goes on: one more write from each tab.
    await Promise.all([inB.update((n) => n + 1000), inC.update((n) => n + 1000)]);
    await settleUntil(tabs, () => inB.version === inC.version && inB.pending + inC.pending === 0);
    expect([inB.get(), inC.get()]).toEqual([2111, 2111]);
  });

  it("takes the late tab's holdings when they arrive before the old leader's commits", async () => {
    const { tabs, until, a, b, toB, inA, inB, inC } = await leaderAndHeldTab((tab) => tab.stores.get(counter));
    toB.hold('tab-a', 'tab-c');
    await inA.update((n) => n + 1);
    await inC.update((n) => n + 10);
    a.close();
    await until(() => statsOf(b).role === 'sequencing');
    expect(await inB.update((n) => n + 100)).toBe(1);

    // C's late answer first: its history extends the one B took at its election.
    toB.release('tab-c');
    await settleUntil(tabs, () => inB.get() === 111 && inC.get() === 111 && inB.version === inC.version);
    expect([inB.get(), inC.get()]).toEqual([111, 111]);
    // Then the old leader's commits, already in that history.
    toB.release();
    await tabs.advance(2000);
    expect([inB.get(), inC.get(), inB.pending + inC.pending]).toEqual([111, 111, 0]);
    expect(statsOf(b).diverged).toBe(0);
  });

  it('runs an update again on the earlier history, not its value', async () => {
    const { tabs, until, a, b, toB, inA, inB, inC } = await leaderAndHeldTab((tab) => tab.stores.get(names));
    await inA.set(['start']);
    await until(() => inB.version === 1 && inC.version === 1);
    toB.hold('tab-a', 'tab-c');
    await inC.update((list) => [...list, 'from-c']);
    a.close();
    await until(() => statsOf(b).role === 'sequencing');
    await inB.update((list) => [...list, 'from-b']);
    expect(inB.get()).toEqual(['start', 'from-b']);

    toB.release();
    await settleUntil(tabs, () => inB.pending + inC.pending === 0 && inB.version === inC.version && inC.version > 2);
    expect(inB.get()).toEqual(['start', 'from-c', 'from-b']);
    expect(inC.get()).toEqual(['start', 'from-c', 'from-b']);
    expect(statsOf(b).diverged).toBe(0);
  });

  it('reports STORE_DIVERGED for an update to replay whose tab closed before it could run it again', async () => {
    const { tabs, b, c, d, toB, inB, inC, inD, failover } = await lateTabAndWriterThatCloses(counter);
    await inC.update((n) => n + 10);
    await failover();
    // D's write commits in B's term; D closes before the earlier history reaches B.
    await inD.update((n) => n + 1);
    d.close();
    const seenInB: number[] = [];
    inB.subscribe((value) => void seenInB.push(value));
    toB.release();
    await settleUntil(tabs, () => statsOf(b).diverged > 0 && inB.version === inC.version);
    // B's listeners waited for the replay, then for no longer than the sequencer did.
    expect(seenInB).toEqual([10]);
    expect(statsOf(b).diverged).toBe(1);
    expect(b.errors.map((error) => (error as { code?: string }).code)).toEqual(['STORE_DIVERGED']);
    // What can be kept is: the earlier history.
    expect([inB.get(), inC.get()]).toEqual([10, 10]);
    expect(c.errors).toEqual([]);
  });

  it('runs a command again itself when the tabs that ran it closed', async () => {
    const { tabs, b, c, d, toB, inA, inB, inC, inD, failover } = await lateTabAndWriterThatCloses(tally, 'reader');
    await inA.update((n) => n + 1);
    await failover();
    // Only D, of the owner's app, runs it now; B and C merely read the store.
    expect(await (inD as Store<number, { add: number }>).dispatch('add', 10)).toBe(1);
    await tabs.settle();
    d.close();
    toB.release();
    await settleUntil(tabs, () => inB.get() === 11 && inC.get() === 11 && inB.version === inC.version);
    await tabs.advance(2000);
    expect([inB.get(), inC.get()]).toEqual([11, 11]);
    expect(statsOf(b).diverged).toBe(0);
    expect(b.errors).toEqual([]);
    expect(replaysBy(b)).toEqual([]);
    // Its event went out once, when it first committed.
    expect(c.topics('tally.added')).toEqual(['tally.added']);
  });

  it('commits a set again itself when the tab that wrote it closed', async () => {
    const { tabs, b, d, toB, inB, inC, inD, failover } = await lateTabAndWriterThatCloses(counter);
    await inC.update((n) => n + 10);
    await failover();
    expect(await inD.set(7)).toBe(1);
    d.close();
    toB.release();
    await settleUntil(tabs, () => inB.get() === 7 && inC.get() === 7 && inB.version === inC.version);
    await tabs.advance(2000);
    expect([inB.get(), inC.get()]).toEqual([7, 7]);
    // After the earlier history (10 at version 2), as when it was written after it.
    expect(inB.version).toBe(3);
    expect(statsOf(b).diverged).toBe(0);
    expect(b.errors).toEqual([]);
    // Nothing was left for the tabs to run again.
    expect(replaysBy(b)).toEqual([]);
  });
});

/**
 * Tabs A (leader), B (new leader once A closes), C and D. A's commits reach C only, and C's
 * answer to B's election reaches B late; D writes in B's term and can close before B learns
 * the earlier history, so B's undoing D's write leaves no tab to run it again.
 */
async function lateTabAndWriterThatCloses<T, C>(definition: StoreDefinition<T, C>, appOfBAndC = 'app') {
  const { tabs, open, until } = storeTabs({}, 'locks');
  const a = await open('tab-a');
  const toB = delayedChannels(tabs.hub);
  const b = await open('tab-b', appOfBAndC, undefined, toB);
  const c = await open('tab-c', appOfBAndC);
  const toD = delayedChannels(tabs.hub);
  const d = await open('tab-d', 'app', undefined, toD);
  const [inA, inB, inC, inD] = [a, b, c, d].map((tab) => tab.stores.get(definition)) as Array<Store<T, C>>;
  await until(() => [inA, inB, inC, inD].every((store) => store!.loaded));
  toB.hold('tab-a', 'tab-c');
  toD.hold('tab-a');
  return {
    tabs,
    until,
    a,
    b,
    c,
    d,
    toB,
    toD,
    inA: inA!,
    inB: inB!,
    inC: inC!,
    inD: inD!,
    async failover(): Promise<void> {
      a.close();
      await until(() => statsOf(b).role === 'sequencing');
    },
  };
}

describe("the old leader's last commits reach the new leader after it wrote the store", () => {
  it('keeps them and runs its own write again after them', async () => {
    const { tabs, open, until } = storeTabs({}, 'locks');
    const a = await open('tab-a');
    const toB = delayedChannels(tabs.hub);
    const b = await open('tab-b', 'app', undefined, toB);
    const toC = delayedChannels(tabs.hub);
    const c = await open('tab-c', 'app', undefined, toC);
    const [inA, inB, inC] = [a, b, c].map((tab) => tab.stores.get(counter)) as [
      Store<number>,
      Store<number>,
      Store<number>,
    ];
    await until(() => inA.loaded && inB.loaded && inC.loaded);
    // Nobody hears the leader's last commit before the election: it reaches them all after it.
    toB.hold('tab-a');
    toC.hold('tab-a');
    expect(await inA.update((n) => n + 1)).toBe(1);
    a.close();
    await until(() => statsOf(b).role === 'sequencing');
    expect(await inC.update((n) => n + 100)).toBe(1);
    const seenInB: number[] = [];
    const seenInC: number[] = [];
    inB.subscribe((value) => void seenInB.push(value));
    inC.subscribe((value) => void seenInC.push(value));

    toB.release();
    toC.release();
    await settleUntil(tabs, () => inB.get() === 101 && inC.get() === 101 && inB.version === inC.version);
    expect([inB.get(), inC.get()]).toEqual([101, 101]);
    // Neither saw the store step back to the old leader's 1 before C's write ran again on it.
    expect([seenInB, seenInC]).toEqual([[101], [101]]);
    expect(statsOf(b).diverged).toBe(0);
    // C fenced the old leader's commit: it learned it from the new leader's state.
    expect(statsOf(c).fenced).toBeGreaterThan(0);
  });

  it('runs a command again without publishing its events twice', async () => {
    const { tabs, open, until } = storeTabs({}, 'locks');
    const a = await open('tab-a');
    const toB = delayedChannels(tabs.hub);
    const b = await open('tab-b', 'app', undefined, toB);
    const toC = delayedChannels(tabs.hub);
    const c = await open('tab-c', 'app', undefined, toC);
    const [inA, inB, inC] = [a, b, c].map((tab) => tab.stores.get(tally)) as [
      Store<number, { add: number }>,
      Store<number, { add: number }>,
      Store<number, { add: number }>,
    ];
    await until(() => inA.loaded && inB.loaded && inC.loaded);
    toB.hold('tab-a');
    toC.hold('tab-a');
    await inA.update((n) => n + 1);
    a.close();
    await until(() => statsOf(b).role === 'sequencing');
    expect(await inC.dispatch('add', 10)).toBe(1);
    await tabs.settle();

    toB.release();
    toC.release();
    await settleUntil(tabs, () => inB.get() === 11 && inC.get() === 11 && inB.version === inC.version);
    await tabs.settle();
    expect([inB.get(), inC.get()]).toEqual([11, 11]);
    expect(b.topics('tally.added')).toEqual(['tally.added']);
    expect(c.topics('tally.added')).toEqual(['tally.added']);
    expect(statsOf(b).diverged).toBe(0);
  });
});

/**
 * The property, across a failover with a late tab: four tabs each increment 1,000 times
 * concurrently; the leader closes mid-stream while its last commits reach only one tab, whose
 * answer to the new leader comes after the election ended. Nothing acknowledged is lost.
 */
for (const how of ['close', 'crash'] as const) {
  describe(`4 tabs x 1,000 concurrent increments, the leader lost (${how}) with a late tab`, () => {
    it("ends at 3,000 plus exactly the lost leader's acknowledged increments in every tab", async () => {
      const { tabs, open, until } = storeTabs({}, 'locks');
      const a = await open('tab-a');
      const toB = delayedChannels(tabs.hub);
      const b = await open('tab-b', 'app', undefined, toB);
      const c = await open('tab-c');
      const toD = delayedChannels(tabs.hub);
      const d = await open('tab-d', 'app', undefined, toD);
      const all = [a, b, c, d].map((tab) => tab.stores.get(counter));
      const [inA, ...survivors] = all as [Store<number>, Store<number>, Store<number>, Store<number>];
      await until(() => all.every((store) => store.loaded));

      let leaderAcked = 0;
      let ackedAtLoss = -1;
      for (let i = 0; i < 1000; i++) {
        if (ackedAtLoss < 0) {
          void inA
            .update((n) => n + 1)
            .then(
              () => void leaderAcked++,
              () => {},
            );
        }
        for (const store of survivors) void store.update((n) => n + 1);
        if (i % 25 === 0) await tabs.settle();
        // The leader's last commits reach C only; C's answer to the next election reaches B late.
        if (i === 400) {
          toB.hold('tab-a', 'tab-c');
          toD.hold('tab-a');
        }
        if (i === 450) {
          for (let tick = 0; tick < 5; tick++) await Promise.resolve();
          ackedAtLoss = leaderAcked;
          if (how === 'close') a.close();
          else a.crash();
        }
        if (i === 700) {
          toB.release();
          toD.release();
        }
        if (i > 450 && i < 700 && i % 25 === 0) await tabs.advance(100, 50);
      }
      await settleUntil(
        tabs,
        () => survivors.every((store) => store.pending === 0 && store.get() === survivors[0]!.get()),
        60_000,
      );
      expect(ackedAtLoss).toBeGreaterThan(400);
      if (how === 'close') expect(leaderAcked).toBe(ackedAtLoss);
      expect(survivors.map((store) => store.get())).toEqual([
        3000 + ackedAtLoss,
        3000 + ackedAtLoss,
        3000 + ackedAtLoss,
      ]);
      expect([b, c, d].map((tab) => statsOf(tab).diverged)).toEqual([0, 0, 0]);
      // The new leader's writes were undone and replayed at least once.
      expect(replaysBy(b).length).toBeGreaterThan(0);
    }, 20_000);
  });
}

/**
 * Two failovers in a row: the first leader's last commit reached one tab only (D), whose answers
 * reach both next leaders late; the second leader took the first successor's history, which
 * parted from D's after their common start. D's acknowledged write must not be lost.
 */
describe("a late tab whose history parted from the new leader's", () => {
  it("runs its writes since they parted again on the new leader's history", async () => {
    const { tabs, open, until } = storeTabs({}, 'locks');
    const a = await open('tab-a');
    const toB = delayedChannels(tabs.hub);
    const b = await open('tab-b', 'app', undefined, toB);
    const toC = delayedChannels(tabs.hub);
    const c = await open('tab-c', 'app', undefined, toC);
    const d = await open('tab-d');
    const [inA, inB, inC, inD] = [a, b, c, d].map((tab) => tab.stores.get(counter)) as Array<Store<number>>;
    await until(() => [inA, inB, inC, inD].every((store) => store!.loaded));
    expect(await inA!.update((n) => n + 1)).toBe(1);
    await until(() => [inB, inC, inD].every((store) => store!.version === 1));

    // A's commit of D's write reaches D only; D's answers reach B and C late.
    toB.hold('tab-a', 'tab-d');
    toC.hold('tab-a', 'tab-d');
    expect(await inD!.update((n) => n + 10)).toBe(2);
    a.close();
    await until(() => statsOf(b).role === 'sequencing');
    expect(await inB!.update((n) => n + 100)).toBe(2);
    await until(() => inC!.version === 2);
    b.close();
    await until(() => statsOf(c).role === 'sequencing');

    toC.release();
    await settleUntil(tabs, () => inC!.get() === 111 && inD!.get() === 111 && inC!.version === inD!.version);
    expect([inC!.get(), inD!.get()]).toEqual([111, 111]);
    expect([inC!.pending, inD!.pending]).toEqual([0, 0]);
    expect(statsOf(c).diverged).toBe(0);
    expect(c.errors).toEqual([]);
  });
});
