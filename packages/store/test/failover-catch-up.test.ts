import { describe, expect, it } from 'vitest';
import { attachStores, defineStore, type Store } from '../src/index.ts';
import type { TestTabs } from '@switchboard/testing';
import { delayedChannels, leaderAndHeldTab, type StoreTab, storeTabs } from './support.ts';

const counter = defineStore({ name: 'catch-up.counter', initial: 0, owner: 'app', scope: 'origin' });

const roleOf = (tab: StoreTab): string => attachStores(tab.bus).stats().role;

/**
 * Advances the fake clock until `condition` holds or 3 s passed. Only microtasks and the fake
 * clock: a tab refused forever proposes again in a loop of microtasks, which `until` (waiting
 * for a macrotask) would never see end.
 */
async function settleUntil(tabs: TestTabs, condition: () => boolean): Promise<void> {
  for (let waited = 0; waited < 3000 && !condition(); waited += 100) await tabs.advance(100, 50);
}

/**
 * A real channel orders each sender's messages, not the senders: the old leader's last commits
 * may reach one tab before the new leader's election and another after it. The tabs must end on
 * one history that keeps every acknowledged write, and go on writing.
 */
describe("a new leader that has not heard the old leader's last commits", () => {
  it('learns them from a tab whose answer came after its election ended on the timer', async () => {
    const { tabs, until, a, b, toB, inA, inB, inC } = await leaderAndHeldTab((tab) => tab.stores.get(counter));
    // B hears nothing more from A or C for now: A's commit, then C's answer to B's election.
    toB.hold('tab-a', 'tab-c');

    // The leader's own write, acknowledged there and applied by C.
    const fromA = inA.update((n) => n + 1);
    await until(() => inC.version === 1);
    expect(await fromA).toBe(1);
    a.close();
    await until(() => roleOf(b) === 'sequencing');
    expect(inB.version).toBe(0);
    toB.release();
    await tabs.settle();

    // C is a version ahead of the sequencer's election; its next write must commit all the same.
    const fromC = inC.update((n) => n + 1);
    const fromB = inB.update((n) => n + 10);
    await settleUntil(tabs, () => inB.pending === 0 && inC.pending === 0 && inB.version === inC.version);
    expect([inB.pending, inC.pending]).toEqual([0, 0]);
    expect([await fromC, await fromB].sort((x, y) => x - y)).toEqual([2, 3]);
    expect([inB.get(), inC.get(), inB.version]).toEqual([12, 12, 3]);
  });

  it('takes over a commit that reached a tab only after that tab answered its election', async () => {
    const { tabs, open, until } = storeTabs({}, 'locks');
    const toA = delayedChannels(tabs.hub);
    const a = await open('tab-a', 'app', undefined, toA);
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
    toB.hold('tab-a');
    toC.hold('tab-a');

    // The leader's own write: it applies and acknowledges it, B and C hear of it late.
    const fromA = inA.update((n) => n + 10);
    await until(() => inA.version === 1);
    expect(await fromA).toBe(1);
    a.close();
    await until(() => b.crossTab.isLeader() && roleOf(b) === 'sequencing');
    // C answered B's election at version 0; now A's commit reaches it, and B.
    toC.release();
    toB.release();
    await tabs.settle();

    const fromC = inC.update((n) => n + 1);
    await settleUntil(tabs, () => inB.pending === 0 && inC.pending === 0 && inB.version === inC.version);
    expect([inB.pending, inC.pending]).toEqual([0, 0]);
    expect(await fromC).toBe(2);
    expect([inB.get(), inC.get(), inB.version]).toEqual([11, 11, 2]);
  });
});
