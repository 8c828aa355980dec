import { createPubSub, isSwitchboardError } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { computed, createStoreRegistry, defineStore, isStoreError, isTransactionAbortedError } from '../src/index.ts';

const counter = defineStore({ name: 'test.counter', initial: 0, owner: 'app' });
const user = defineStore({ name: 'test.user', initial: { name: 'Ada', email: 'ada@example.com' }, owner: 'app' });

function setup(app = 'app') {
  const bus = createPubSub({ app });
  return { bus, stores: createStoreRegistry(bus) };
}

describe('tab stores: reading and writing', () => {
  it('get, set and update apply at once and notify subscribers with the previous value', async () => {
    const { stores } = setup();
    const count = stores.get(counter);
    await count.ready;
    const seen: Array<[number, number]> = [];
    count.subscribe((value, previous) => void seen.push([value, previous]));
    await count.set(5);
    expect(await count.update((n) => n + 1)).toBe(2);
    expect(count.get()).toBe(6);
    expect(seen).toEqual([
      [5, 0],
      [6, 5],
    ]);
  });

  it('select notifies only when the selected slice changes', async () => {
    const { stores } = setup();
    const profile = stores.get(user);
    const names: string[] = [];
    profile.select((u) => u.name).subscribe((name) => void names.push(name));
    await profile.update((u) => ({ ...u, email: 'new@example.com' }));
    await profile.update((u) => ({ ...u, name: 'Grace' }));
    expect(names).toEqual(['Grace']);
    const initials = profile.select(
      (u) => [u.name[0]],
      (a, b) => a[0] === b[0],
    );
    const first = initials.get();
    await profile.update((u) => ({ ...u, name: 'Gwen' }));
    expect(initials.get()).toBe(first);
  });

  it('computed stores derive from several stores and notify when the result changes', async () => {
    const { stores } = setup();
    const count = stores.get(counter);
    const profile = stores.get(user);
    const label = computed([count, profile], (n, u) => `${u.name}: ${n}`);
    const seen: string[] = [];
    label.subscribe((value) => void seen.push(value));
    await count.set(2);
    await profile.update((u) => ({ ...u, email: 'x' }));
    await profile.update((u) => ({ ...u, name: 'Grace' }));
    expect(seen).toEqual(['Ada: 2', 'Grace: 2']);
    expect(label.get()).toBe('Grace: 2');
  });

  it('batch calls listeners once, after every write', () => {
    const { stores } = setup();
    const count = stores.get(counter);
    const profile = stores.get(user);
    const both = computed([count, profile], (n, u) => `${u.name}:${n}`);
    const seen: string[] = [];
    both.subscribe((value) => void seen.push(value));
    stores.batch(() => {
      void count.set(1);
      void count.set(2);
      void profile.update((u) => ({ ...u, name: 'Grace' }));
    });
    expect(seen).toEqual(['Grace:2']);
  });

  it('an app that does not own the store may read it, and a write is a typed PERMISSION_DENIED', () => {
    const bus = createPubSub({ app: 'inventory' });
    const stores = createStoreRegistry(bus);
    const count = stores.get(counter);
    expect(count.get()).toBe(0);
    expect(count.writable).toBe(false);
    let error: unknown;
    try {
      void count.set(1);
    } catch (caught) {
      error = caught;
    }
    expect(isStoreError(error)).toBe(true);
    expect(isSwitchboardError(error, 'PERMISSION_DENIED')).toBe(true);
    expect((error as Error).message).toContain("owned by 'app'");
    expect(count.get()).toBe(0);
  });

  it('the registry refuses a storeId owned by another definition, and gives instances by id', () => {
    const { stores } = setup();
    const issue = defineStore({ name: 'test.issue', initial: { title: '' }, owner: 'app' });
    const a = stores.get(issue, { storeId: 'issue.a' });
    const b = stores.get(issue, { storeId: 'issue.b' });
    expect(stores.get(issue, { storeId: 'issue.a' })).toBe(a);
    expect(a).not.toBe(b);
    expect(() => stores.get(counter, { storeId: 'issue.a' })).toThrow(/already belongs to store 'test.issue'/);
    expect(() => stores.get(issue, { storeId: 'bad id' })).toThrow(/storeId must be segments/);
    stores.drop('issue.a');
    expect(stores.has('issue.a')).toBe(false);
    expect(stores.has('issue.b')).toBe(true);
  });

  it('a schema refuses a state that breaks it, and nothing is written', async () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) =>
          typeof value === 'number' && value >= 0
            ? { value: value as number }
            : { issues: [{ message: 'must be a number >= 0', path: [] }] },
      },
    };
    const guarded = defineStore({ name: 'test.guarded', initial: 0, owner: 'app', schema });
    const { stores } = setup();
    const store = stores.get(guarded);
    await expect(store.set(-1)).rejects.toSatisfy((e: unknown) => isSwitchboardError(e, 'SCHEMA_INVALID'));
    expect(store.get()).toBe(0);
  });

  it('defineStore refuses bad options with a message naming the option', () => {
    expect(() => defineStore({ name: 'a b', initial: 0, owner: 'x' })).toThrow(/name must be segments/);
    expect(() => defineStore({ name: 'a', initial: 0, owner: '' })).toThrow(/owner must name the app/);
    expect(() => defineStore({ name: 'a', initial: 0, owner: 'x', persist: true })).toThrow(
      /persist needs scope: 'origin'/,
    );
    expect(() => defineStore({ name: 'a', initial: 0, owner: 'x', version: 0 })).toThrow(
      /version must be a positive integer/,
    );
  });

  it('a transaction over two stores applies both, or on abort neither, running compensations last first', async () => {
    const accounts = defineStore({
      name: 'test.accounts',
      initial: { a: 100, b: 0 } as Record<string, number>,
      owner: 'app',
    });
    const ledger = defineStore({ name: 'test.ledger', initial: [] as string[], owner: 'app' });
    const { stores } = setup();
    const balances = stores.get(accounts);
    const log = stores.get(ledger);
    await stores.transaction((tx) => {
      const current = tx.get(balances);
      tx.set(balances, { ...current, a: current.a! - 30, b: current.b! + 30 });
      tx.update(log, (entries) => [...entries, 'a->b 30']);
    });
    expect(balances.get()).toEqual({ a: 70, b: 30 });
    expect(log.get()).toEqual(['a->b 30']);

    const undone: string[] = [];
    const failing = stores.transaction(async (tx) => {
      tx.set(balances, { a: 0, b: 100 });
      tx.compensate(() => void undone.push('release hold'));
      tx.compensate(() => void undone.push('refund'));
      await Promise.resolve();
      tx.abort('payment declined');
    });
    await expect(failing).rejects.toSatisfy(isTransactionAbortedError);
    expect(undone).toEqual(['refund', 'release hold']);
    expect(balances.get()).toEqual({ a: 70, b: 30 });
    await expect(
      stores.transaction(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow(/aborted \(boom\)/);
  });
});
