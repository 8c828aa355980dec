import { describe, expect, it } from 'vitest';
import { defineStore, type StoreStorage } from '../src/index.ts';
import { storeTabs } from './support.ts';

const counter = defineStore({ name: 'unpublished.counter', initial: 0, owner: 'app', scope: 'origin', persist: true });

/** Storage whose writes wait until `release()`: the sequencer's commits stay unpublished meanwhile. */
function heldStorage(): StoreStorage & { release(): void; appends: number } {
  const waiting: Array<() => void> = [];
  let held = true;
  const storage = {
    appends: 0,
    load: () => Promise.resolve(undefined),
    append(): Promise<void> {
      storage.appends++;
      if (!held) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      held = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
  return storage;
}

/** Three tabs, the counter loaded in the second and third, the first leading with storage that holds its writes. */
async function threeTabs() {
  const storage = heldStorage();
  const { tabs, open, until } = storeTabs();
  const leader = await open('tab-a', 'app', { storage, electionMs: 500, retryMs: 1000 });
  const b = await open('tab-b');
  const c = await open('tab-c');
  const [inB, inC] = [b.stores.get(counter), c.stores.get(counter)];
  await until(() => inB.loaded && inC.loaded);
  return { storage, tabs, until, leader, inB, inC };
}

/**
 * The leader decides a commit and persists it before publishing it. A proposal refused meanwhile
 * (its base is older than the commit waiting for storage) and the state the refused tab then
 * asks for must not show the unpublished commit: if the leader closes before publishing it, that
 * commit never happened, and its proposer sends it again.
 */
describe('the leader closes while a commit waits for storage', () => {
  it("another tab's write it had decided applies once, through its proposer's resend", async () => {
    const { storage, tabs, until, leader, inB, inC } = await threeTabs();
    expect(leader.crossTab.isLeader()).toBe(true);

    const fromC = inC.update((n) => n + 1);
    await until(() => storage.appends === 1);
    // Based on version 0, refused: the leader is at 1, waiting for storage to publish it.
    const fromB = inB.update((n) => n + 1);
    await tabs.settle();
    await tabs.settle();
    leader.close();

    await until(() => inB.pending === 0 && inC.pending === 0 && inB.version === inC.version);
    expect([await fromB, await fromC].sort()).toEqual([1, 2]);
    expect([inB.get(), inC.get()]).toEqual([2, 2]);
  });

  it('its own write it had not acknowledged is not applied', async () => {
    const { storage, tabs, until, leader, inB, inC } = await threeTabs();
    const inLeader = leader.stores.get(counter);
    await until(() => inLeader.loaded);

    const fromLeader = inLeader
      .update((n) => n + 10)
      .then(
        () => 'acknowledged',
        () => 'refused',
      );
    await until(() => storage.appends === 1);
    const fromB = inB.update((n) => n + 1);
    await tabs.settle();
    await tabs.settle();
    leader.close();

    await until(() => inB.pending === 0 && inC.pending === 0 && inB.version === inC.version);
    expect(await fromLeader).toBe('refused');
    expect(await fromB).toBe(1);
    expect([inB.get(), inC.get()]).toEqual([1, 1]);
  });
});
