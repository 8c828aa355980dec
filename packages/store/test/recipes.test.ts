import { describe, expect, it } from 'vitest';
import { defineStore, isStoreError, isTransactionAbortedError } from '../src/index.ts';
import { storeTabs } from './support.ts';

describe('recipe: a registry with owners, permissions and cross-store events (two tabs, two apps)', () => {
  const products = defineStore({
    name: 'shop.products',
    owner: 'inventory',
    scope: 'origin',
    initial: { p1: { name: 'Lamp', stock: 5, price: 10 } } as Record<
      string,
      { name: string; stock: number; price: number }
    >,
    events: ['products.stock-updated'],
    commands: {
      reserve: (state, { productId, quantity }: { productId: string; quantity: number }, ctx) => {
        const product = state[productId];
        if (product === undefined || product.stock < quantity) throw new Error(`not enough ${productId}`);
        ctx.emit('products.stock-updated', { productId, stock: product.stock - quantity });
        return { ...state, [productId]: { ...product, stock: product.stock - quantity } };
      },
    },
  });
  const cart = defineStore({
    name: 'shop.cart',
    owner: 'orders',
    scope: 'origin',
    initial: [] as Array<{ productId: string; quantity: number }>,
    events: ['cart.item-added'],
    commands: {
      add: (items, line: { productId: string; quantity: number }, ctx) => {
        ctx.emit('cart.item-added', line);
        return [...items, line];
      },
    },
  });

  it('the cart app adds, the inventory app reserves stock, and neither writes the other', async () => {
    const { tabs, open, until } = storeTabs();
    const ordersTab = await open('tab-orders', 'orders');
    const inventoryTab = await open('tab-inventory', 'inventory');
    // The inventory app reacts to the cart's events with its own command.
    const stock = inventoryTab.stores.get(products);
    inventoryTab.bus.subscribe<{ productId: string; quantity: number }>('cart.item-added', (e) => {
      void stock.dispatch('reserve', e.payload);
    });
    const myCart = ordersTab.stores.get(cart);
    const stockSeenByOrders = ordersTab.stores.get(products);
    await tabs.settle();
    await myCart.dispatch('add', { productId: 'p1', quantity: 2 });
    await until(() => stockSeenByOrders.get().p1!.stock === 3);
    const cartSeenByInventory = await inventoryTab.stores.preload(cart);
    expect(cartSeenByInventory.get()).toEqual([{ productId: 'p1', quantity: 2 }]);
    expect(() => stockSeenByOrders.set({})).toThrow(/app 'orders' may not write this store, owned by 'inventory'/);
    let denied: unknown;
    try {
      void cartSeenByInventory.set([]);
    } catch (error) {
      denied = error;
    }
    expect(isStoreError(denied) && denied.code).toBe('PERMISSION_DENIED');
  });
});

describe('recipe: a workspace store and one store instance per issue, preloaded and dropped (two tabs)', () => {
  const workspace = defineStore({
    name: 'workspace',
    owner: 'app',
    scope: 'origin',
    initial: { name: 'Acme', issueIds: [] as string[] },
  });
  const issue = defineStore({
    name: 'issue',
    owner: 'app',
    scope: 'origin',
    initial: { title: '', childIssueIds: [] as string[] },
  });

  it('instances by id are independent, preload waits for the state, drop unloads one tab only', async () => {
    const { tabs, open } = storeTabs();
    const a = await open('tab-a');
    const b = await open('tab-b');
    const ws = a.stores.get(workspace);
    await ws.ready;
    const issueA = a.stores.get(issue, { storeId: 'issue.A' });
    await issueA.ready;
    await issueA.set({ title: 'Fix login', childIssueIds: ['B'] });
    await ws.update((w) => ({ ...w, issueIds: ['A'] }));
    await tabs.settle();

    // Tab B preloads on hover, before rendering the issue.
    const preloaded = await b.stores.preload(issue, { storeId: 'issue.A' });
    expect(preloaded.get().title).toBe('Fix login');
    const child = await b.stores.preload(issue, { storeId: 'issue.B' });
    expect(child.get().title).toBe('');
    expect(() => b.stores.get(workspace, { storeId: 'issue.A' })).toThrow(/already belongs to store 'issue'/);

    b.stores.drop('issue.A');
    expect(b.stores.has('issue.A')).toBe(false);
    expect(a.stores.has('issue.A')).toBe(true);
    await issueA.set({ title: 'Fix login (again)', childIssueIds: [] });
    await tabs.settle();
    expect((await b.stores.preload(issue, { storeId: 'issue.A' })).get().title).toBe('Fix login (again)');
  });
});

describe('recipe: actions coordinating stores (two tabs)', () => {
  const accounts = defineStore({
    name: 'bank.accounts',
    owner: 'app',
    scope: 'origin',
    initial: { alice: { balance: 100 }, bob: { balance: 20 } } as Record<string, { balance: number }>,
  });
  const transfers = defineStore({ name: 'bank.transfers', owner: 'app', scope: 'origin', initial: [] as string[] });

  async function transfer(
    stores: Awaited<ReturnType<ReturnType<typeof storeTabs>['open']>>['stores'],
    from: string,
    to: string,
    amount: number,
    recordRemotely: () => Promise<void>,
  ) {
    const balances = stores.get(accounts);
    const log = stores.get(transfers);
    return stores.transaction(async (tx) => {
      const current = tx.get(balances);
      if (current[from] === undefined || current[to] === undefined) tx.abort('Account not found');
      if (current[from]!.balance < amount) tx.abort('Insufficient funds');
      tx.set(balances, {
        ...current,
        [from]: { balance: current[from]!.balance - amount },
        [to]: { balance: current[to]!.balance + amount },
      });
      tx.update(log, (entries) => [...entries, `${from}->${to}:${amount}`]);
      await recordRemotely();
    });
  }

  it('a funds transfer applies both stores in every tab, and a failing one is rolled back in every tab', async () => {
    const { tabs, open } = storeTabs();
    const a = await open('tab-a');
    const b = await open('tab-b');
    const inB = { balances: b.stores.get(accounts), log: b.stores.get(transfers) };
    await Promise.all([a.stores.preload(accounts), a.stores.preload(transfers), inB.balances.ready, inB.log.ready]);
    const done = transfer(a.stores, 'alice', 'bob', 30, async () => {});
    await tabs.settle();
    await done;
    await tabs.settle();
    expect(inB.balances.get()).toEqual({ alice: { balance: 70 }, bob: { balance: 50 } });
    expect(inB.log.get()).toEqual(['alice->bob:30']);

    // Every commit tab B applies is part of a whole transaction: never the balances without the log.
    const observed: Array<[number, number]> = [];
    inB.balances.subscribe(() => void observed.push([inB.balances.get().alice!.balance, inB.log.get().length]));
    const failing = transfer(a.stores, 'alice', 'bob', 10, async () => {
      throw new Error('ledger service unavailable');
    });
    await expect(failing).rejects.toSatisfy(isTransactionAbortedError);
    await expect(transfer(a.stores, 'alice', 'bob', 1000, async () => {})).rejects.toThrow(/Insufficient funds/);
    await tabs.settle();
    for (const tab of [a, b]) {
      expect(tab.stores.get(accounts).get()).toEqual({ alice: { balance: 70 }, bob: { balance: 50 } });
      expect(tab.stores.get(transfers).get()).toEqual(['alice->bob:30']);
    }
    await transfer(b.stores, 'bob', 'alice', 5, async () => {});
    await tabs.settle();
    expect(observed).toEqual([[75, 2]]);
  });

  it('master-detail and cache stay in sync: both stores change together', async () => {
    type User = { id: string; name: string };
    const userList = defineStore({
      name: 'users.list',
      owner: 'app',
      scope: 'origin',
      initial: [{ id: 'u1', name: 'Ada' }] as User[],
    });
    const selected = defineStore({
      name: 'users.selected',
      owner: 'app',
      scope: 'origin',
      initial: null as User | null,
    });
    const { tabs, open } = storeTabs();
    const a = await open('tab-a');
    const b = await open('tab-b');
    const [list, current] = [a.stores.get(userList), a.stores.get(selected)];
    const [listB, currentB] = [b.stores.get(userList), b.stores.get(selected)];
    await Promise.all([list.ready, current.ready, listB.ready, currentB.ready]);
    await a.stores.transaction((tx) => {
      const user = tx.get(list).find((u) => u.id === 'u1');
      if (user === undefined) tx.abort('User not found');
      tx.set(current, user!);
    });
    await b.stores.transaction((tx) => {
      const user = tx.get(currentB);
      if (user === null) tx.abort('No user selected');
      const updated = { ...user!, name: 'Ada Lovelace' };
      tx.set(currentB, updated);
      tx.update(listB, (users) => users.map((u) => (u.id === updated.id ? updated : u)));
    });
    await tabs.settle();
    expect(current.get()).toEqual({ id: 'u1', name: 'Ada Lovelace' });
    expect(list.get()).toEqual([{ id: 'u1', name: 'Ada Lovelace' }]);
  });
});
