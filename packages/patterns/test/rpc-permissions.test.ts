import { createPubSub, isSwitchboardError, systemAccess, type Message } from '@switchboard/bus';
import {
  APP_DENIED_TOPIC,
  defineManifest,
  forApp,
  isPermissionError,
  type PermissionError,
} from '@switchboard/bus/apps';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createFakeClock, createTestTabs } from '@switchboard/testing';
import { describe, expect, it, vi } from 'vitest';
import { createAggregator, createRpc, isNoHandlerError, type RpcHandler } from '../src/index.ts';

const manifest = defineManifest({
  orders: {
    publish: ['orders.#'],
    subscribe: ['orders.#'],
    rpc: { call: ['inventory.#', 'aggregate.#'], handle: ['orders.get', 'aggregate.orders'] },
  },
  inventory: { rpc: { call: [], handle: ['inventory.#'] } },
  payments: { rpc: { call: [], handle: ['payments.charge'] } },
});

function hostBus() {
  const clock = createFakeClock();
  const bus = createPubSub({ app: 'shell', tabId: 't-1', clock });
  const seen: Message[] = [];
  bus.subscribe('$sys.#', (message) => void seen.push(message));
  return { bus, clock, seen, topics: () => seen.map((m) => m.topic) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call should have been refused'),
    (error: unknown) => error,
  );
}

describe('rpc calls on a handle', () => {
  it('refuses a call the manifest does not allow, naming app, method and rule; nothing is sent', async () => {
    const { bus, clock, seen, topics } = hostBus();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const payments = forApp(bus, 'payments', { permissions: manifest.payments });
    const charge = vi.fn(() => 'charged');
    createRpc(payments, { clock }).handle('payments.charge', charge);
    const rpc = createRpc(orders, { clock });
    seen.length = 0;
    const error = await rejection(rpc.request('payments.charge', { amount: 5 }));
    expect(isPermissionError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'PERMISSION_DENIED',
      app: 'orders',
      action: 'publish',
      subject: '$sys.rpc.request.payments.charge',
      rule: "rpc.call ['inventory.#', 'aggregate.#']",
    });
    expect((error as PermissionError).message).toMatch(/^request\('payments\.charge'\).*app 'orders'.*rpc\.call/);
    // Only the denial, for the inspector: no request, no discovery, and the handler in the tab never ran.
    expect(topics()).toEqual([APP_DENIED_TOPIC]);
    expect(charge).not.toHaveBeenCalled();
    expect(orders.stats().denied).toBe(1);
  });

  it('sends an allowed call as the app, on the method’s own topic', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const server = forApp(tabs.open('t-1').bus, 'inventory', { permissions: manifest.inventory });
    createRpc(server, { clock: tabs.clock }).handle('inventory.reserve', ({ sku }: { sku: string }) => `r-${sku}`);
    const callerTab = tabs.open('t-2');
    const rpc = createRpc(forApp(callerTab.bus, 'orders', { permissions: manifest.orders }), { clock: tabs.clock });
    await tabs.settle();
    await expect(rpc.request('inventory.reserve', { sku: 'a' })).resolves.toBe('r-a');
    const request = callerTab.seen.find((m) => m.topic === '$sys.rpc.request.inventory.reserve');
    expect(request?.source).toBe('orders');
    const announcement = callerTab.seen.find((m) => m.topic === '$sys.rpc.announce.inventory.reserve');
    expect(announcement?.source).toBe('inventory');
  });

  it('refuses a call from another tab’s point of view too: nothing reaches the handling tab', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const serverTab = tabs.open('t-1');
    const charge = vi.fn(() => 'charged');
    createRpc(serverTab.bus, { clock: tabs.clock }).handle('payments.charge', charge);
    const rpc = createRpc(forApp(tabs.open('t-2').bus, 'orders', { permissions: manifest.orders }), {
      clock: tabs.clock,
    });
    await tabs.settle();
    serverTab.seen.length = 0;
    expect(isPermissionError(await rejection(rpc.request('payments.charge')))).toBe(true);
    await tabs.settle();
    expect(serverTab.topics('$sys.rpc.')).toEqual([]);
    expect(charge).not.toHaveBeenCalled();
  });
});

describe('rpc handlers on a handle', () => {
  it('refuses a method the manifest does not let the app handle; its requests never reach it', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const serverTab = tabs.open('t-1');
    const orders = forApp(serverTab.bus, 'orders', { permissions: manifest.orders });
    const rpc = createRpc(orders, { clock: tabs.clock, discoveryMs: 50 });
    const charge = vi.fn(() => 'charged');
    let error: unknown;
    try {
      rpc.handle('payments.charge', charge);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({
      code: 'PERMISSION_DENIED',
      app: 'orders',
      subject: '$sys.rpc.announce.payments.charge',
      rule: "rpc.handle ['orders.get', 'aggregate.orders']",
    });
    expect((error as Error).message).toMatch(/^handle\('payments\.charge'\)/);
    expect(rpc.methods()).toEqual([]);
    // A caller elsewhere never hears of it, and a request published for the method is not delivered.
    const caller = createRpc(tabs.open('t-2').bus, { clock: tabs.clock, discoveryMs: 50 });
    const result = rejection(caller.request('payments.charge'));
    await tabs.settle();
    tabs.clock.advance(50);
    expect(isNoHandlerError(await result)).toBe(true);
    systemAccess(serverTab.bus, 'test').publish('$sys.rpc.request.payments.charge', { id: 'x', to: 'any', from: 'y' });
    await tabs.settle();
    expect(charge).not.toHaveBeenCalled();
  });

  it('answers a method it may handle', async () => {
    const { bus, clock } = hostBus();
    const rpc = createRpc(forApp(bus, 'orders', { permissions: manifest.orders }), { clock });
    rpc.handle('orders.get', (id: string) => ({ id }));
    await expect(createRpc(bus, { clock }).request('orders.get', 'o1')).resolves.toEqual({ id: 'o1' });
  });

  it('refuses a method name that cannot be a topic', async () => {
    const { bus, clock } = hostBus();
    const rpc = createRpc(bus, { clock });
    expect(() => rpc.handle('orders get', () => 1)).toThrow(/^handle\('orders get'\): the method 'orders get' must be/);
    expect(() => rpc.handle('orders.#', () => 1)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const error = await rejection(rpc.request('a..b'));
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
  });
});

describe('the in-tab shortcut', () => {
  it('checks the caller’s rule though it bypasses the bus', async () => {
    const { bus, clock, topics, seen } = hostBus();
    const reserve = vi.fn(() => 'reserved');
    const charge = vi.fn(() => 'charged');
    const inventory = createRpc(forApp(bus, 'inventory', { permissions: manifest.inventory }), { clock });
    inventory.handle('inventory.reserve', reserve);
    createRpc(forApp(bus, 'payments', { permissions: manifest.payments }), { clock }).handle('payments.charge', charge);
    const rpc = createRpc(forApp(bus, 'orders', { permissions: manifest.orders }), { clock });
    seen.length = 0;
    // Allowed: run directly, nothing published.
    await expect(rpc.request('inventory.reserve')).resolves.toBe('reserved');
    expect(topics()).toEqual([]);
    // Not allowed: refused, though a handler sits in the same tab.
    const error = await rejection(rpc.request('payments.charge'));
    expect(error).toMatchObject({
      code: 'PERMISSION_DENIED',
      app: 'orders',
      rule: "rpc.call ['inventory.#', 'aggregate.#']",
    });
    expect(charge).not.toHaveBeenCalled();
    expect(topics()).toEqual([APP_DENIED_TOPIC]);
  });

  it('checks the handler’s rule: a handler whose app may not receive the method is not called directly', async () => {
    const { bus, clock } = hostBus();
    const rpc = createRpc(bus, { clock });
    const access = systemAccess(bus, 'test');
    // An endpoint in the bus's in-tab set that registered a handler without the check (a copy
    // of the library that skipped it): its app may not receive the request.
    const rogue = vi.fn<RpcHandler<never, unknown>>(() => 'rogue');
    const endpoints = access.lookup<Set<unknown>>('switchboard.rpc.local.v2');
    endpoints?.add({ handlers: new Map([['inventory.reserve', rogue]]), receives: () => false });
    expect(endpoints?.size).toBe(2);
    expect(isNoHandlerError(await rejection(rpc.request('inventory.reserve')))).toBe(true);
    expect(rogue).not.toHaveBeenCalled();
    expect(rpc.targets('inventory.reserve')).toEqual([]);
  });
});

describe('the aggregator on handles', () => {
  it('answers as `aggregate.<source>` methods, which manifests allow by pattern', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const ordersTab = tabs.open('t-1');
    createAggregator(forApp(ordersTab.bus, 'orders', { permissions: manifest.orders }), {
      clock: tabs.clock,
    }).respond('orders', () => ['o1']);
    const inventory = createAggregator(forApp(tabs.open('t-2').bus, 'inventory', { permissions: manifest.inventory }), {
      clock: tabs.clock,
      discoveryMs: 50,
    });
    // inventory may not handle `aggregate.inventory`.
    expect(() => inventory.respond('inventory', () => 3)).toThrow(expect.toSatisfy(isPermissionError));
    const dashboard = createAggregator(forApp(tabs.open('t-3').bus, 'orders', { permissions: manifest.orders }), {
      clock: tabs.clock,
      discoveryMs: 50,
    });
    await tabs.settle();
    const result = dashboard.aggregate({ sources: ['orders', 'inventory'], partial: true, timeout: 1000 });
    await tabs.settle();
    tabs.clock.advance(50);
    const { values, missing } = await result;
    expect(values).toEqual({ orders: ['o1'] });
    expect(missing.map(({ source, code }) => [source, code])).toEqual([['inventory', 'NO_HANDLER']]);
    expect(ordersTab.topics('$sys.rpc.announce.')).toContain('$sys.rpc.announce.aggregate.orders');
  });
});
