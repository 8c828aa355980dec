import { createPubSub } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { attachStores, createStoreRegistry, defineStore } from '../src/index.ts';

const issue = defineStore({ name: 'release.issue', initial: { title: '' }, owner: 'app', scope: 'origin' });

describe('instances nobody uses', () => {
  it('are released releaseAfterMs after their last listener left, unless written to or listened to again', async () => {
    const clock = createFakeClock(0);
    const bus = createPubSub({ app: 'app', clock });
    attachStores(bus, { clock });
    const stores = createStoreRegistry(bus, { releaseAfterMs: 1000 });
    const a = await stores.preload(issue, { storeId: 'issue.A' });
    const off = a.subscribe(() => {});
    off();
    clock.advance(999);
    expect(stores.has('issue.A')).toBe(true);
    const again = a.subscribe(() => {});
    clock.advance(5000);
    expect(stores.has('issue.A')).toBe(true);
    again();
    clock.advance(1000);
    expect(stores.has('issue.A')).toBe(false);
    // A later get loads it again, with its state.
    const reloaded = await stores.preload(issue, { storeId: 'issue.A' });
    expect(reloaded).not.toBe(a);
  });
});
