import { describe, expect, it } from 'vitest';
import { defineStore } from '../src/index.ts';
import { storeTabs } from './support.ts';

const counter = defineStore({ name: 'shared.counter', initial: 0, owner: 'app', scope: 'origin' });

describe('origin stores across tabs', () => {
  it('says synchronously whether it is loaded: false until ready resolves, then true', async () => {
    const { tabs, open } = storeTabs();
    await open('tab-a');
    const b = await open('tab-b'); // not the leader: it asks tab-a for the state
    const store = b.stores.get(defineStore({ name: 'shared.loading', initial: 0, owner: 'app', scope: 'origin' }));
    expect(store.loaded).toBe(false);
    let loadedWhenReady: boolean | undefined;
    void store.ready.then(() => {
      loadedWhenReady = store.loaded;
    });
    await tabs.settle();
    await store.ready;
    expect(loadedWhenReady).toBe(true);
  });

  it('a write in one tab reaches every tab, in version order', async () => {
    const { tabs, open } = storeTabs();
    const a = await open('tab-a');
    const b = await open('tab-b');
    expect(a.crossTab.isLeader()).toBe(true);
    const inA = a.stores.get(counter);
    const inB = b.stores.get(counter);
    await tabs.settle();
    await inA.ready;
    await inB.ready;
    const seenInB: number[] = [];
    inB.subscribe((value) => void seenInB.push(value));
    const version = inB.set(7);
    expect(inB.get()).toBe(7); // optimistic in the writing tab
    await tabs.settle();
    expect(await version).toBe(1);
    expect(inA.get()).toBe(7);
    await inA.update((n) => n * 2);
    await tabs.settle();
    expect([inA.get(), inB.get()]).toEqual([14, 14]);
    expect(seenInB).toEqual([7, 14]);
    expect(tabs.errors).toEqual([]);
  });

  it('concurrent updates from every tab are never lost, and each applies once', async () => {
    const { tabs, open, until } = storeTabs();
    const all = [await open('tab-a'), await open('tab-b'), await open('tab-c'), await open('tab-d')];
    const stores = all.map((tab) => tab.stores.get(counter));
    await tabs.settle();
    const acks: Array<Promise<number>> = [];
    for (let round = 0; round < 50; round++) {
      for (const store of stores) acks.push(store.update((n) => n + 1));
    }
    await until(() => stores.every((store) => store.get() === 200 && store.pending === 0));
    const versions = await Promise.all(acks);
    expect(versions.every((v) => v > 0)).toBe(true);
    expect(stores.map((store) => store.get())).toEqual([200, 200, 200, 200]);
    expect(tabs.errors).toEqual([]);
  });

  it('a tab opened later starts from the current state', async () => {
    const { tabs, open } = storeTabs();
    const a = await open('tab-a');
    const inA = a.stores.get(counter);
    await inA.set(41);
    await inA.update((n) => n + 1);
    const late = await open('tab-late');
    const inLate = late.stores.get(counter);
    await tabs.settle();
    await inLate.ready;
    expect(inLate.get()).toBe(42);
    expect(inLate.version).toBe(2);
  });
});
