import { describe, expect, it } from 'vitest';
import { defineStore, type Store } from '../src/index.ts';
import { delayedChannels, storeTabs } from './support.ts';

const counter = defineStore({ name: 'failover.counter', initial: 0, owner: 'app', scope: 'origin' });

for (const how of ['close', 'crash'] as const) {
  describe(`the leader tab is lost mid-stream (${how})`, () => {
    it("loses and doubles nothing: the total is the others' updates plus exactly the lost tab's acknowledged ones", async () => {
      const { tabs, open, until } = storeTabs();
      const leader = await open('tab-a');
      const others = [await open('tab-b'), await open('tab-c')];
      expect(leader.crossTab.isLeader()).toBe(true);
      const inLeader = leader.stores.get(counter);
      const stores = others.map((tab) => tab.stores.get(counter));
      await tabs.settle();
      let leaderAcked = 0;
      let ackedAtLoss = -1;
      for (let i = 0; i < 100; i++) {
        if (i <= 45) {
          void inLeader
            .update((n) => n + 1)
            .then(
              () => void leaderAcked++,
              () => {},
            );
        }
        for (const store of stores) void store.update((n) => n + 1);
        if (i % 10 === 0) await tabs.settle();
        if (i === 45) {
          // Acknowledgements already given reach their callers first (promise callbacks). A crashed
          // tab runs no more code; a cut-off one still does, so only what it acknowledged before counts.
          for (let tick = 0; tick < 5; tick++) await Promise.resolve();
          ackedAtLoss = leaderAcked;
          if (how === 'close') leader.close();
          else leader.crash();
        }
      }
      await until(() => stores.every((store) => store.pending === 0) && stores[0]!.get() === stores[1]!.get(), 30_000);
      if (how === 'close') expect(leaderAcked).toBe(ackedAtLoss);
      expect(stores.map((store) => store.get())).toEqual([200 + ackedAtLoss, 200 + ackedAtLoss]);
      expect(ackedAtLoss).toBeGreaterThan(0);
      expect(others.some((tab) => tab.crossTab.isLeader())).toBe(true);
    });
  });
}

describe('two leaders lost in a row', () => {
  it('a write the first committed applies once, though the last learned it from a state', async () => {
    const { tabs, open, until } = storeTabs();
    const a = await open('tab-a');
    const b = await open('tab-b');
    // A real channel orders each sender's messages, not the senders: what A and B send may
    // reach C and D late.
    const toC = delayedChannels(tabs.hub);
    const toD = delayedChannels(tabs.hub);
    const c = await open('tab-c', 'app', undefined, toC);
    const d = await open('tab-d', 'app', undefined, toD);
    const [inB, inC, inD] = [b, c, d].map((tab) => tab.stores.get(counter)) as [
      Store<number>,
      Store<number>,
      Store<number>,
    ];
    await until(() => inB.loaded && inC.loaded && inD.loaded);
    toC.hold('tab-a');
    toD.hold('tab-a', 'tab-b');

    // A commits D's write and closes; B applies the commit and takes over; C learns the write
    // from the state B publishes then; D hears none of it.
    const fromD = inD.update((n) => n + 1);
    await until(() => inB.version === 1);
    a.close();
    await until(() => inC.version === 1);
    expect(inD.pending).toBe(1);
    // B closes too. C leads, from what it holds: D, still waiting, sends its write again.
    b.close();
    await until(() => c.crossTab.isLeader() && inD.pending === 0, 30_000);
    toC.release();
    toD.release();
    await tabs.settle();
    expect(await fromD).toBe(1);
    expect([inC.get(), inD.get(), inC.version, inD.version]).toEqual([1, 1, 1, 1]);
  });
});

describe('a transaction in flight when the leader closes', () => {
  it('is proposed again to the next leader and applies once, all parts together', async () => {
    const { tabs, open, until } = storeTabs();
    // What B sends reaches A late: A closes before it hears B's transaction.
    const toA = delayedChannels(tabs.hub);
    const a = await open('tab-a', 'app', undefined, toA);
    const b = await open('tab-b');
    const c = await open('tab-c');
    const balance = defineStore({ name: 'failover.balance', initial: 10, owner: 'app', scope: 'origin' });
    const log = defineStore({ name: 'failover.log', initial: [] as string[], owner: 'app', scope: 'origin' });
    const [balanceInB, logInB, balanceInC, logInC] = [b, c].flatMap((tab) => [
      tab.stores.get(balance),
      tab.stores.get(log),
    ]) as [Store<number>, Store<string[]>, Store<number>, Store<string[]>];
    await until(() => [balanceInB, logInB, balanceInC, logInC].every((store) => store.loaded));
    toA.hold('tab-b');

    const done = b.stores.transaction((tx) => {
      tx.update(balanceInB, (n) => n - 3);
      tx.update(logInB, (entries) => [...entries, 'spent 3']);
    });
    await tabs.settle();
    expect(balanceInB.pending + logInB.pending).toBe(2);
    a.close();
    await until(() => balanceInB.pending + logInB.pending === 0 && logInC.get().length > 0, 30_000);
    await done;
    expect([balanceInB.get(), logInB.get()]).toEqual([7, ['spent 3']]);
    expect([balanceInC.get(), logInC.get()]).toEqual([7, ['spent 3']]);
  });
});
