import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { attachStores, defineStore } from '../src/index.ts';
import { createIdbStoreStorage } from '../src/idb/index.ts';
import { delayedChannels, storeTabs } from './support.ts';

const cart = defineStore({
  name: 'orders.cart',
  initial: { lines: [] as string[] },
  owner: 'app',
  scope: 'origin',
  persist: true,
});

describe('persisted stores', () => {
  it('a tab that opens when every other is closed hydrates the last state', async () => {
    const indexedDB = new IDBFactory();
    const first = storeTabs({ storage: createIdbStoreStorage({ indexedDB }) });
    const a = await first.open('tab-a');
    const b = await first.open('tab-b');
    const inB = b.stores.get(cart);
    await inB.ready;
    await first.tabs.settle();
    const acks = [
      inB.update((c) => ({ lines: [...c.lines, 'apple'] })),
      inB.update((c) => ({ lines: [...c.lines, 'pear'] })),
    ];
    await first.until(() => inB.pending === 0);
    await Promise.all(acks);
    a.close();
    b.close();

    const later = storeTabs({ storage: createIdbStoreStorage({ indexedDB }) });
    const lone = await later.open('tab-lone');
    const inLone = lone.stores.get(cart);
    await later.until(() => inLone.get().lines.length > 0);
    await inLone.ready;
    expect(inLone.get()).toEqual({ lines: ['apple', 'pear'] });
    expect(inLone.version).toBe(await acks[1]!);
    // And it goes on from there.
    await inLone.update((c) => ({ lines: [...c.lines, 'plum'] }));
    expect(inLone.version).toBe((await acks[1]!) + 1);
  });

  it('snapshots compact the log, keeping the state as of any time since the oldest kept snapshot', async () => {
    const indexedDB = new IDBFactory();
    const storage = createIdbStoreStorage({ indexedDB, snapshotEvery: 10, keepSnapshots: 2 });
    const counter = defineStore({ name: 'count.persisted', initial: 0, owner: 'app', scope: 'origin', persist: true });
    const { open, until } = storeTabs({ storage });
    const tab = await open('tab-a');
    const store = tab.stores.get(counter);
    await store.ready;
    for (let i = 0; i < 35; i++) await store.update((n) => n + 1);
    await until(() => store.pending === 0);
    const timeline = await storage.timeline('count.persisted');
    expect(timeline.snapshots.map((s) => s.version)).toEqual([20, 30]);
    expect(timeline.operations.map((op) => op.version)).toEqual([
      21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
    ]);
    expect(timeline.operations.at(-1)).toMatchObject({ value: 35, source: 'app', tabId: 'tab-a', label: 'update' });
    expect(await storage.load('count.persisted')).toMatchObject({ version: 35, value: 35 });
  });

  it('a state persisted by an older schema version is migrated', async () => {
    const indexedDB = new IDBFactory();
    const v1 = defineStore({ name: 'prefs', initial: { theme: 'dark' }, owner: 'app', scope: 'origin', persist: true });
    const old = storeTabs({ storage: createIdbStoreStorage({ indexedDB }) });
    const tab = await old.open('tab-old');
    const prefs = tab.stores.get(v1);
    await prefs.ready;
    await prefs.set({ theme: 'light' });
    tab.close();

    const v2 = defineStore({
      name: 'prefs',
      initial: { theme: { mode: 'dark' } },
      owner: 'app',
      scope: 'origin',
      persist: true,
      version: 2,
      migrate: (state, from) =>
        from === 1 ? { theme: { mode: (state as { theme: string }).theme } } : (state as never),
    });
    const next = storeTabs({ storage: createIdbStoreStorage({ indexedDB }) });
    const reopened = await next.open('tab-new');
    const migrated = reopened.stores.get(v2);
    await next.until(() => migrated.version > 0);
    expect(migrated.get()).toEqual({ theme: { mode: 'light' } });
  });

  it("persists the state a failover's merge takes, though the write it undid never runs again", async () => {
    const indexedDB = new IDBFactory();
    const counter = defineStore({ name: 'count.merged', initial: 0, owner: 'app', scope: 'origin', persist: true });
    const { tabs, open, until } = storeTabs({ storage: createIdbStoreStorage({ indexedDB }) }, 'locks');
    const a = await open('tab-a');
    const toB = delayedChannels(tabs.hub);
    const b = await open('tab-b', 'app', undefined, toB);
    const toC = delayedChannels(tabs.hub);
    const c = await open('tab-c', 'app', undefined, toC);
    const [inA, inB, inC] = [a, b, c].map((tab) => tab.stores.get(counter));
    await until(() => inA!.loaded && inB!.loaded && inC!.loaded);
    // A's commit reaches B and C after B's election; C writes in B's term, then closes.
    toB.hold('tab-a');
    toC.hold('tab-a');
    expect(await inA!.update((n) => n + 1)).toBe(1);
    a.close();
    await until(() => attachStores(b.bus).stats().role === 'sequencing');
    expect(await inC!.update((n) => n + 100)).toBe(1);
    c.close();
    toB.release();
    await until(() => attachStores(b.bus).stats().diverged === 1);
    expect(inB!.get()).toBe(1);
    b.close();

    // Every tab closed: storage holds what the tabs last showed, not the write the merge undid.
    const later = storeTabs({ storage: createIdbStoreStorage({ indexedDB }) });
    const lone = await later.open('tab-lone');
    const inLone = lone.stores.get(counter);
    await later.until(() => inLone.loaded);
    expect([inLone.get(), inLone.version]).toEqual([1, 2]);
  });
});
