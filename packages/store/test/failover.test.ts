import { describe, expect, it } from 'vitest';
import { defineStore } from '../src/index.ts';
import { storeTabs } from './support.ts';

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
