import { createPubSub } from '@switchboard/bus';
import { defineManifest, forApp } from '@switchboard/bus/apps';
import { describe, expect, it } from 'vitest';
import { attachStores, createStoreRegistry, defineStore, isStoreError } from '../src/index.ts';
import { storeTabs } from './support.ts';

const cart = defineStore({ name: 'orders.cart', initial: [] as string[], owner: 'orders', scope: 'origin' });
const manifest = defineManifest({
  orders: { publish: ['orders.#'], subscribe: ['orders.#'] },
  checkout: { publish: ['checkout.#'], subscribe: ['orders.#'], stores: { write: ['orders.cart'] } },
  inventory: { publish: ['inventory.#'], subscribe: ['inventory.#', 'orders.#'] },
});

describe('stores through per-app handles', () => {
  it("the owner and the apps the manifest's stores.write names may write; others read", async () => {
    const bus = createPubSub({ app: 'shell' });
    attachStores(bus);
    const orders = createStoreRegistry(forApp(bus, 'orders', { permissions: manifest.orders }));
    const checkout = createStoreRegistry(forApp(bus, 'checkout', { permissions: manifest.checkout }));
    const inventory = createStoreRegistry(forApp(bus, 'inventory', { permissions: manifest.inventory }));
    const own = orders.get(cart);
    await own.ready;
    await own.update((lines) => [...lines, 'lamp']);
    await checkout.get(cart).update((lines) => [...lines, 'shade']);
    const read = inventory.get(cart);
    expect(read.get()).toEqual(['lamp', 'shade']);
    expect(read.writable).toBe(false);
    let denied: unknown;
    try {
      void read.set([]);
    } catch (error) {
      denied = error;
    }
    expect(isStoreError(denied) && denied.code).toBe('PERMISSION_DENIED');
    expect(own.get()).toEqual(['lamp', 'shade']);
  });

  it('a registry on a handle whose shell attached no stores says what to call', () => {
    const bus = createPubSub({ app: 'shell' });
    expect(() => createStoreRegistry(forApp(bus, 'orders', { permissions: manifest.orders }))).toThrow(
      /the shell calls attachStores\(bus\)/,
    );
  });

  it('writes through handles in two tabs are sequenced as one store; disposing a handle drops its registry', async () => {
    const { tabs, open } = storeTabs();
    const a = await open('tab-a', 'shell');
    const b = await open('tab-b', 'shell');
    const inA = createStoreRegistry(forApp(a.bus, 'orders', { permissions: manifest.orders })).get(cart);
    const handleB = forApp(b.bus, 'checkout', { permissions: manifest.checkout });
    const inB = createStoreRegistry(handleB).get(cart);
    await tabs.settle();
    const writes = [inA.update((l) => [...l, 'a']), inB.update((l) => [...l, 'b'])];
    await tabs.settle();
    await Promise.all(writes);
    expect(inA.get()).toHaveLength(2);
    expect(inB.get()).toEqual(inA.get());
    handleB.dispose();
    expect(() => inB.set([])).toThrow(/was disposed/);
  });
});
