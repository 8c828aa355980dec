import { createPubSub, type Message, type PubSubBus } from '@switchboard/bus';
import { defineManifest, forApp, isPermissionError, type AppBus } from '@switchboard/bus/apps';
import {
  createAggregator,
  createCircuitBreaker,
  createRpc,
  createSaga,
  isCircuitOpenError,
} from '@switchboard/patterns';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createFakeClock, createTestTabs, type FakeClock } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFrameHost } from '../src/index.ts';
import { joinHost } from '../src/join.ts';
import { embed, type FakeEmbedding, until } from './fake-windows.ts';

// The helpers of @switchboard/patterns run in a frame as they run on an in-page handle: they
// reach $sys. through systemAccess on the handle joinHost resolved to, the host serves those
// topics through the frame's own handle, and the manifest governs both sides of the port.

const HOST = 'https://shell.example.com';
const FRAME = 'https://orders.example.com';

const manifest = defineManifest({
  orders: {
    publish: ['orders.#'],
    subscribe: ['orders.#'],
    rpc: { call: ['inventory.#', 'aggregate.inventory'], handle: ['orders.#', 'aggregate.orders'] },
  },
  inventory: { rpc: { handle: ['inventory.#', 'aggregate.inventory'] } },
  dashboard: { rpc: { call: ['orders.#', 'aggregate.#'] } },
});

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Setup {
  readonly clock: FakeClock;
  /** The in-page apps of the host. */
  readonly inventory: AppBus;
  readonly dashboard: AppBus;
  /** The orders app, in the frame. */
  readonly frame: AppBus;
  /** Everything the host's bus delivers on `$sys.rpc.#` and `$sys.circuit.#`. */
  readonly helperTraffic: Message[];
  readonly hostErrors: unknown[];
  readonly page: FakeEmbedding;
  readonly bus: PubSubBus;
}

async function setup(): Promise<Setup> {
  const clock = createFakeClock();
  const hostErrors: unknown[] = [];
  const bus: PubSubBus = createPubSub({ app: 'shell', clock, onError: (error) => hostErrors.push(error) });
  cleanups.push(() => bus.dispose());
  const helperTraffic: Message[] = [];
  bus.subscribe('$sys.rpc.#', (m) => void helperTraffic.push(m));
  bus.subscribe('$sys.circuit.#', (m) => void helperTraffic.push(m));
  const page = embed(HOST, FRAME);
  const host = createFrameHost(bus, { window: page.host, clock, heartbeatMs: 60_000 });
  host.connectFrame(page.element, { origin: FRAME, app: 'orders', permissions: manifest.orders });
  const frame = await joinHost({ hostOrigin: HOST, app: 'orders', window: page.frame, parent: page.parent, clock });
  cleanups.push(() => frame.dispose());
  return {
    clock,
    inventory: forApp(bus, 'inventory', { permissions: manifest.inventory }),
    dashboard: forApp(bus, 'dashboard', { permissions: manifest.dashboard }),
    frame,
    helperTraffic,
    hostErrors,
    page,
    bus,
  };
}

describe('RPC across the port', () => {
  it("a call from the frame is answered by a handler of the host's page, and sent as the frame's app", async () => {
    const { clock, inventory, frame, helperTraffic } = await setup();
    createRpc(inventory, { clock }).handle('inventory.stock', (params: { sku: string }) => `${params.sku}: 7`);
    const rpc = createRpc(frame, { clock });
    await until(() => expect(rpc.targets('inventory.stock')).toHaveLength(1));
    await expect(rpc.request('inventory.stock', { sku: 'widget' })).resolves.toBe('widget: 7');
    const request = helperTraffic.find((m) => m.topic === '$sys.rpc.request.inventory.stock');
    expect(request?.source).toBe('orders');
  });

  it("a handler in the frame answers a call from the host's page", async () => {
    const { clock, dashboard, frame, helperTraffic } = await setup();
    createRpc(frame, { clock }).handle('orders.count', () => 3);
    const rpc = createRpc(dashboard, { clock });
    await until(() => expect(rpc.targets('orders.count')).toHaveLength(1));
    await expect(rpc.request('orders.count')).resolves.toBe(3);
    const announce = helperTraffic.find((m) => m.topic === '$sys.rpc.announce.orders.count');
    expect(announce?.source).toBe('orders');
  });

  it("a frame page unloaded for good says its handlers' goodbyes: callers drop them at once", async () => {
    const { clock, dashboard, frame, page } = await setup();
    createRpc(frame, { clock }).handle('orders.count', () => 3);
    const rpc = createRpc(dashboard, { clock });
    await until(() => expect(rpc.targets('orders.count')).toHaveLength(1));
    // The frame's tab is the host's: no tab-left event would tell the caller it went.
    page.frame.fire('pagehide', { persisted: false });
    expect(frame.disposed).toBe(true);
    await until(() => expect(rpc.targets('orders.count')).toEqual([]));
    const call = rpc.request('orders.count').catch((error: unknown) => error);
    clock.advance(150);
    expect(await call).toMatchObject({ code: 'NO_HANDLER' });
  });

  it('a frame page kept in the back/forward cache keeps its handlers and serves them again when restored', async () => {
    const { clock, dashboard, frame, page, bus } = await setup();
    createRpc(frame, { clock }).handle('orders.count', () => 3);
    const rpc = createRpc(dashboard, { clock });
    await until(() => expect(rpc.targets('orders.count')).toHaveLength(1));
    const joined = bus.stats().subscriptions;
    page.frame.fire('pagehide', { persisted: true });
    expect(frame.disposed).toBe(false);
    await until(() => expect(bus.stats().subscriptions).toBeLessThan(joined));
    page.frame.fire('pageshow', { persisted: true });
    await until(() => expect(bus.stats().subscriptions).toBe(joined));
    await expect(rpc.request('orders.count')).resolves.toBe(3);
  });

  it("methods outside the frame's rpc rules are refused in the frame, and nothing crosses", async () => {
    const { clock, frame, helperTraffic } = await setup();
    const rpc = createRpc(frame, { clock });
    await expect(rpc.request('billing.charge')).rejects.toSatisfy(isPermissionError);
    expect(() => rpc.handle('inventory.stock', () => 1)).toThrow(expect.toSatisfy(isPermissionError));
    // A method it may handle, announced after the refused ones: once it arrives, they would have.
    rpc.handle('orders.get', () => 1);
    await until(() => expect(helperTraffic.map((m) => m.topic)).toContain('$sys.rpc.announce.orders.get'));
    const subjects = helperTraffic.map((m) => m.topic);
    expect(subjects.some((topic) => topic.endsWith('billing.charge') || topic.endsWith('inventory.stock'))).toBe(false);
  });
});

describe('the aggregator across the port', () => {
  it("the host's page gathers a source the frame answers, beside one of its own", async () => {
    const { clock, inventory, dashboard, frame } = await setup();
    createAggregator(frame, { clock }).respond('orders', () => ['o1', 'o2']);
    createAggregator(inventory, { clock }).respond('inventory', () => ({ widget: 7 }));
    const rpc = createRpc(dashboard, { clock });
    await until(() => expect(rpc.targets('aggregate.orders')).toHaveLength(1));
    const gathered = await createAggregator(dashboard, { rpc }).aggregate({ sources: ['orders', 'inventory'] });
    expect(gathered).toMatchObject({ values: { orders: ['o1', 'o2'], inventory: { widget: 7 } }, missing: [] });
  });

  it("the frame gathers a source of the host's page, and may not ask for one outside its rules", async () => {
    const { clock, inventory, frame } = await setup();
    createAggregator(inventory, { clock }).respond('inventory', () => ({ widget: 7 }));
    const rpc = createRpc(frame, { clock });
    await until(() => expect(rpc.targets('aggregate.inventory')).toHaveLength(1));
    const aggregator = createAggregator(frame, { rpc });
    const gathered = await aggregator.aggregate({ sources: ['inventory'] });
    expect(gathered).toMatchObject({ values: { inventory: { widget: 7 } }, missing: [] });
    await expect(aggregator.aggregate({ sources: ['billing'] })).rejects.toSatisfy(isPermissionError);
  });
});

describe('the circuit breaker across the port', () => {
  it('a circuit the frame opens fails fast in another tab, and that tab closing it reaches the frame', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const hostTab = tabs.open('t-a', 'shell');
    const otherTab = tabs.open('t-b', 'shell');
    const page = embed(HOST, FRAME);
    const host = createFrameHost(hostTab.bus, { window: page.host, clock: tabs.clock, heartbeatMs: 60_000 });
    host.connectFrame(page.element, { origin: FRAME, app: 'orders', permissions: manifest.orders });
    const frame = await joinHost({
      hostOrigin: HOST,
      app: 'orders',
      window: page.frame,
      parent: page.parent,
      clock: tabs.clock,
    });
    cleanups.push(() => frame.dispose());
    const options = { name: 'stock', threshold: 1, resetTimeoutMs: 1000, clock: tabs.clock };
    const inFrame = createCircuitBreaker(frame, options);
    const elsewhere = createCircuitBreaker(forApp(otherTab.bus, 'orders', { permissions: manifest.orders }), options);
    // The other tab learns of the frame's tab from its query, so the frame's tab (the lower id)
    // is the arbiter of probes for both.
    await until(async () => {
      await tabs.settle();
      const queries = otherTab.seen.filter((m) => m.topic === '$sys.circuit.stock.query');
      expect(queries.map((m) => m.origin.tabId)).toContain('t-a');
    });

    const failure = () => Promise.reject(new Error('stock service down'));
    await expect(inFrame.execute(failure)).rejects.toThrow('stock service down');
    expect(inFrame.state()).toBe('OPEN');
    await until(async () => {
      await tabs.settle();
      expect(elsewhere.state()).toBe('OPEN');
    });
    await expect(elsewhere.execute(async () => 'live')).rejects.toSatisfy(isCircuitOpenError);
    const opened = otherTab.seen.find((m) => m.topic === '$sys.circuit.stock.state');
    expect(opened).toMatchObject({ source: 'orders', origin: { tabId: 't-a' } });

    // The probe in the other tab is granted by the frame, through the port, and closes it there.
    tabs.clock.advance(1000);
    const probe = elsewhere.execute(async () => 'recovered');
    await until(async () => {
      await tabs.settle();
      expect(elsewhere.state()).toBe('CLOSED');
    });
    await expect(probe).resolves.toBe('recovered');
    await until(async () => {
      await tabs.settle();
      expect(inFrame.state()).toBe('CLOSED');
    });
  });
});

describe('a saga in the frame', () => {
  it("publishes its events as the frame's app, checked against its manifest entry", async () => {
    const { frame, bus } = await setup();
    const heard: Message[] = [];
    bus.subscribe('orders.saga.#', (m) => void heard.push(m));
    const outcome = await createSaga(frame, {
      name: 'checkout',
      topicPrefix: 'orders.saga',
      steps: [{ action: () => 'reserved' }],
    }).execute();
    expect(outcome.success).toBe(true);
    await frame.flush();
    expect(heard.map((m) => [m.topic, m.source])).toEqual([
      ['orders.saga.step.completed', 'orders'],
      ['orders.saga.completed', 'orders'],
    ]);
  });
});
