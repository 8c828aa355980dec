import { isSwitchboardError } from '@switchboard/bus';
import { defineManifest, forApp, isPermissionError } from '@switchboard/bus/apps';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createTestTabs } from '@switchboard/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  createAggregator,
  createCircuitBreaker,
  createMemorySagaLog,
  createRpc,
  createSaga,
  isRpcTargetGoneError,
} from '../src/index.ts';

const manifest = defineManifest({
  orders: {
    publish: ['orders.#', 'saga.#'],
    subscribe: ['orders.#', 'saga.#'],
    rpc: { call: ['inventory.#'], handle: ['orders.#', 'aggregate.orders'] },
  },
  inventory: { subscribe: ['inventory.#'], rpc: { handle: ['inventory.#'] } },
});

describe('helpers on an app handle', () => {
  it('act as the handle’s app: what they publish carries its source', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const tab = tabs.open('t-1');
    const orders = forApp(tab.bus, 'orders', { permissions: manifest.orders });
    createRpc(orders, { clock: tabs.clock }).handle('orders.get', () => 1);
    createCircuitBreaker(orders, { name: 'stock', clock: tabs.clock });
    await createSaga(orders, { name: 'checkout', steps: [{ action: () => 1 }] }).execute();
    await tabs.settle();
    const helpers = tab.seen.filter((m) => /^(\$sys\.(rpc|circuit)|saga)\./.test(m.topic));
    expect(helpers.map((m) => m.topic)).toEqual(
      expect.arrayContaining([
        '$sys.rpc.announce.orders.get',
        '$sys.circuit.stock.query',
        'saga.step.completed',
        'saga.completed',
      ]),
    );
    expect(new Set(helpers.map((m) => m.source))).toEqual(new Set(['orders']));
  });

  it('are disposed with their handle: handlers gone, calls refused, goodbyes said', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const tab = tabs.open('t-1');
    const before = tab.bus.stats().subscriptions;
    const orders = forApp(tab.bus, 'orders', { permissions: manifest.orders });
    const rpc = createRpc(orders, { clock: tabs.clock });
    let running: AbortSignal | undefined;
    rpc.handle('orders.slow', (_params, context) => {
      running = context.signal;
      return new Promise(() => {});
    });
    const aggregator = createAggregator(orders, { clock: tabs.clock });
    aggregator.respond('orders', () => ['o1']);
    const breaker = createCircuitBreaker(orders, { name: 'stock', clock: tabs.clock });
    const log = createMemorySagaLog();
    const saga = createSaga(orders, { name: 'checkout', durable: log, steps: [{ action: () => 1 }] });
    const caller = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    await tabs.settle();
    const slow = caller.request('orders.slow').catch((error: unknown) => error);
    await tabs.settle();
    expect(running?.aborted).toBe(false);
    // One access each for the rpc, the aggregator's own rpc, the breaker and the saga.
    expect(orders.stats().accesses).toBe(4);

    orders.dispose();
    await tabs.settle();
    // The running request is aborted here, and the caller hears the endpoint went away.
    expect(running?.aborted).toBe(true);
    expect(isRpcTargetGoneError(await slow)).toBe(true);
    expect(tab.topics('$sys.rpc.bye')).toHaveLength(2);
    expect(tab.topics('$sys.circuit.stock.bye')).toHaveLength(1);
    expect(caller.targets('orders.slow')).toEqual([]);
    expect(caller.targets('aggregate.orders')).toEqual([]);
    // Everything the helpers subscribed is gone, and each refuses further use.
    expect(orders.stats()).toMatchObject({ accesses: 0, subscriptions: 0 });
    expect(tab.bus.stats().subscriptions).toBe(before);
    expect(tab.bus.stats().adapters).not.toContain('app:orders');
    const refused = await rpc.request('inventory.stock').catch((error: unknown) => error);
    expect(isSwitchboardError(refused, 'ABORTED')).toBe(true);
    expect(() => rpc.handle('orders.get', () => 1)).toThrow(/the rpc was disposed/);
    const aggregated = await aggregator.aggregate({ sources: ['orders'] }).catch((error: unknown) => error);
    expect(isSwitchboardError(aggregated, 'ABORTED')).toBe(true);
    expect(breaker.state()).toBe('CLOSED');
    await expect(saga.recover()).resolves.toEqual([]);
  });

  it('refuse a helper namespace the host did not grant', () => {
    const tabs = createTestTabs({ attachCrossTab });
    const orders = forApp(tabs.open('t-1').bus, 'orders', { permissions: manifest.orders, helpers: ['rpc'] });
    expect(() => createRpc(orders, { clock: tabs.clock })).not.toThrow();
    expect(() => createCircuitBreaker(orders, { name: 'stock' })).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', app: 'orders', subject: 'circuit' }),
    );
    expect(() => createSaga(orders)).toThrow(expect.toSatisfy(isPermissionError));
  });

  it('report a saga event the manifest refuses, and the saga goes on', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const tab = tabs.open('t-1');
    const inventory = forApp(tab.bus, 'inventory', { permissions: manifest.inventory });
    const compensated = vi.fn();
    const outcome = await createSaga(inventory, {
      name: 'restock',
      steps: [
        { action: () => 'ordered', compensation: compensated },
        {
          action: () => {
            throw new Error('supplier down');
          },
        },
      ],
    }).execute();
    expect(outcome.success).toBe(false);
    expect(compensated).toHaveBeenCalledTimes(1);
    expect(tab.errors.length).toBeGreaterThan(0);
    expect(tab.errors.every(isPermissionError)).toBe(true);
    expect(tab.errors[0]).toMatchObject({ app: 'inventory', subject: 'saga.step.completed' });
    expect(inventory.stats().denied).toBe(tab.errors.length);
  });
});

describe('a second bundled copy of the helpers', () => {
  it('works through a handle the first copy’s bus made: in-tab calls, rules and disposal', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const tab = tabs.open('t-1');
    const orders = forApp(tab.bus, 'orders', { permissions: manifest.orders });
    const inventory = forApp(tab.bus, 'inventory', { permissions: manifest.inventory });
    vi.resetModules();
    // A second instance of the package and of the bus under it, as a second bundle would load.
    const copy = (await import('../src/index.ts?copy' as string)) as typeof import('../src/index.ts');
    expect(copy.createRpc).not.toBe(createRpc);
    const served = copy.createRpc(inventory, { clock: tabs.clock });
    served.handle('inventory.stock', () => 7);
    const rpc = createRpc(orders, { clock: tabs.clock });
    await expect(rpc.request('inventory.stock')).resolves.toBe(7);
    // The copy's handlers obey the same manifest.
    expect(() => served.handle('orders.get', () => 1)).toThrow(expect.toSatisfy(isPermissionError));
    // And end with the handle.
    inventory.dispose();
    await tabs.settle();
    expect(served.methods()).toEqual([]);
    expect(tab.topics('$sys.rpc.bye')).toHaveLength(1);
    expect(rpc.targets('inventory.stock')).toEqual([]);
    const error = rpc.request('inventory.stock').catch((e: unknown) => e);
    await tabs.settle();
    tabs.clock.advance(150);
    expect(await error).toMatchObject({ code: 'NO_HANDLER' });
  });
});
