import { describe, expect, it, vi } from 'vitest';
import { APP_DENIED_TOPIC, defineManifest, forApp, isPermissionError, type AppDenial } from '../src/apps.ts';
import { createPubSub, systemAccess, type Leadership, type Message } from '../src/index.ts';

const manifest = defineManifest({
  orders: {
    publish: ['orders.#'],
    subscribe: ['orders.#'],
    rpc: { call: ['inventory.#'], handle: ['orders.get'] },
    stores: { write: ['orders.cart'] },
  },
});

function setup() {
  const errors: unknown[] = [];
  const bus = createPubSub({ app: 'shell', tabId: 'tab-1', onError: (error) => void errors.push(error) });
  const seen: Message[] = [];
  bus.subscribe('$sys.#', (message) => void seen.push(message));
  const denials = (): AppDenial[] =>
    seen.filter((m) => m.topic === APP_DENIED_TOPIC).map((m) => m.payload as AppDenial);
  return { bus, errors, seen, denials };
}

describe('systemAccess on the full bus', () => {
  it('is unrestricted, attaches a no-op adapter and ends with release or the bus', () => {
    const { bus, seen } = setup();
    const access = systemAccess(bus, 'rpc');
    expect(bus.stats().adapters).toContain('rpc');
    expect(access.app).toBe('shell');
    expect(access.publish('$sys.rpc.request.anything', 1).source).toBe('shell');
    expect(access.publish('$sys.tab.joined', 1).topic).toBe('$sys.tab.joined');
    expect(access.receives('$sys.anything')).toBe(true);
    expect(access.authorize('#', 'getHistory')).toBe('all');
    const handler = vi.fn();
    access.subscribe('$sys.rpc.#', handler);
    access.publish('$sys.rpc.reply.1', 1);
    const cleanup = vi.fn();
    access.onDispose(cleanup);
    access.release();
    access.release();
    expect(access.released).toBe(true);
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(bus.stats().adapters).not.toContain('rpc');
    systemAccess(bus, 'other').publish('$sys.rpc.reply.2', 2);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(seen.map((m) => m.topic)).toEqual([
      '$sys.rpc.request.anything',
      '$sys.tab.joined',
      '$sys.rpc.reply.1',
      '$sys.rpc.reply.2',
    ]);
    const other = systemAccess(bus, 'circuit', { name: 'circuit:inventory' });
    const onBusDispose = vi.fn();
    other.onDispose(onBusDispose);
    expect(bus.stats().adapters).toContain('circuit:inventory');
    bus.dispose();
    expect(onBusDispose).toHaveBeenCalledTimes(1);
    expect(other.released).toBe(true);
  });

  it('gives services and error reporting like an adapter link', () => {
    const { bus, errors } = setup();
    const leadership: Leadership = { isLeader: () => true, leaderTabId: () => 'tab-1' };
    bus.attach({ name: 'cross-tab', connect: (link) => void link.provide('leadership', leadership) });
    const access = systemAccess(bus, 'circuit');
    expect(access.lookup<Leadership>('leadership')).toBe(leadership);
    access.reportError(new Error('boom'), { kind: 'adapter', adapter: 'circuit' });
    expect(errors).toEqual([new Error('boom')]);
  });

  it('refuses a namespace that is not one segment, and something that is not a bus', () => {
    const { bus } = setup();
    expect(() => systemAccess(bus, 'rpc.x')).toThrow(/one topic segment/);
    expect(() => systemAccess(bus, '$sys')).toThrow(/one topic segment/);
    expect(() => systemAccess({} as never, 'rpc')).toThrow(/expected a bus from createPubSub\(\) or a handle/);
  });
});

describe('systemAccess on a handle', () => {
  it('publishes under its namespace as the app, within the manifest rules', () => {
    const { bus, seen, denials } = setup();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const rpc = systemAccess(orders, 'rpc');
    expect(rpc.app).toBe('orders');
    expect(rpc.publish('$sys.rpc.request.inventory.reserve', { sku: 'a' }).source).toBe('orders');
    expect(rpc.publish('$sys.rpc.announce.orders.get', {}).source).toBe('orders');
    // Not governed by a rule: the namespace's own protocol.
    expect(rpc.publish('$sys.rpc.reply.e1', {}).source).toBe('orders');
    seen.length = 0;
    expect(() => rpc.publish('$sys.rpc.request.payments.charge', {})).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', rule: "rpc.call ['inventory.#']" }),
    );
    expect(() => rpc.publish('$sys.rpc.announce.inventory.reserve', {})).toThrow(/rpc\.handle \['orders\.get'\]/);
    // A topic of a governed family that names no method is no way around its rule.
    expect(() => rpc.publish('$sys.rpc.request', {})).toThrow(/rpc\.call \['inventory\.#'\]/);
    expect(() => rpc.publish('$sys.rpc.announce', {})).toThrow(/rpc\.handle \['orders\.get'\]/);
    expect(() => rpc.publish('$sys.saga.step', {})).toThrow(/publishes under '\$sys\.rpc\.'/);
    expect(() => rpc.publish('orders.placed', {})).toThrow(/publishes under '\$sys\.rpc\.'/);
    expect(seen.map((m) => m.topic)).toEqual(Array(6).fill(APP_DENIED_TOPIC));
    expect(denials()[0]).toMatchObject({
      app: 'orders',
      action: 'publish',
      subject: '$sys.rpc.request.payments.charge',
    });
    expect(orders.stats().denied).toBe(6);
    const store = systemAccess(orders, 'store');
    expect(store.publish('$sys.store.propose.orders.cart', {}).source).toBe('orders');
    expect(() => store.publish('$sys.store.propose.inventory.stock', {})).toThrow(/stores\.write \['orders\.cart'\]/);
    expect(() => store.publish('$sys.store.propose', {})).toThrow(/stores\.write \['orders\.cart'\]/);
  });

  it('checks a topic without publishing it, naming the caller’s own call', () => {
    const { bus, seen } = setup();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const rpc = systemAccess(orders, 'rpc');
    expect(() =>
      rpc.authorizePublish('$sys.rpc.request.inventory.reserve', "request('inventory.reserve')"),
    ).not.toThrow();
    seen.length = 0;
    expect(() => rpc.authorizePublish('$sys.rpc.request.payments.charge', "request('payments.charge')")).toThrow(
      expect.objectContaining({
        code: 'PERMISSION_DENIED',
        app: 'orders',
        action: 'publish',
        subject: '$sys.rpc.request.payments.charge',
        rule: "rpc.call ['inventory.#']",
        message: expect.stringMatching(/^request\('payments\.charge'\) through systemAccess\('rpc'\): app 'orders'/),
      }),
    );
    // Counted and shown as a denial, and nothing else was published.
    expect(seen.map((m) => m.topic)).toEqual([APP_DENIED_TOPIC]);
    expect(orders.stats().denied).toBe(1);
    // A manifest rule of `#` stands for every method, never for the bare family.
    const any = forApp(bus, 'any', { permissions: { rpc: { call: ['#'] } } });
    const anyRpc = systemAccess(any, 'rpc');
    expect(() => anyRpc.authorizePublish('$sys.rpc.request.a.b', "request('a.b')")).not.toThrow();
    expect(() => anyRpc.authorizePublish('$sys.rpc.request', 'request()')).toThrow(isPermissionErrorMatcher());
    // The full bus is unrestricted.
    expect(() => systemAccess(bus, 'rpc').authorizePublish('$sys.rpc.request.x', "request('x')")).not.toThrow();
  });

  it('runs onDispose callbacks while the access can still publish a goodbye', () => {
    const { bus, seen } = setup();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const rpc = systemAccess(orders, 'rpc');
    rpc.onDispose(() => void rpc.publish('$sys.rpc.bye', { endpoint: 'e1' }));
    orders.dispose();
    expect(seen.filter((m) => m.topic === '$sys.rpc.bye').map((m) => m.source)).toEqual(['orders']);
    expect(rpc.released).toBe(true);
    expect(() => rpc.publish('$sys.rpc.bye', {})).toThrow(/was disposed/);
  });

  it('receives its namespace, the tabs’ lifecycle and what the app may subscribe to; requests only for methods it handles', () => {
    const { bus } = setup();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const rpc = systemAccess(orders, 'rpc');
    const topics: string[] = [];
    const record = (message: Message): void => void topics.push(message.topic);
    rpc.subscribe('$sys.rpc.#', record);
    rpc.subscribe('$sys.tab.left', record);
    rpc.subscribe('orders.#', record);
    expect(() => rpc.subscribe('$sys.frame.#', record)).toThrow(/may not receive any topic/);
    expect(() => rpc.subscribe('inventory.#', record)).toThrow(/may not receive any topic/);
    const host = systemAccess(bus, 'test');
    host.publish('$sys.rpc.request.orders.get', 1);
    host.publish('$sys.rpc.request.inventory.reserve', 2);
    host.publish('$sys.rpc.request', 2.5);
    host.publish('$sys.rpc.reply.e1', 3);
    host.publish('$sys.tab.left', 4);
    bus.publish('orders.placed', 5);
    expect(topics).toEqual(['$sys.rpc.request.orders.get', '$sys.rpc.reply.e1', '$sys.tab.left', 'orders.placed']);
    expect(rpc.receives('$sys.rpc.request.inventory.reserve')).toBe(false);
    expect(rpc.receives('$sys.rpc.request')).toBe(false);
    expect(rpc.receives('$sys.leader.changed')).toBe(true);
    expect(rpc.authorize('orders.#', 'getHistory')).toBe('all');
    expect(rpc.authorize('$sys.rpc.#', 'getHistory')).toBe('some');
  });

  it('refuses a namespace the host did not grant, and makes transport namespaces read-only', () => {
    const { bus, denials } = setup();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders, helpers: ['rpc'] });
    expect(() => systemAccess(orders, 'saga')).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', app: 'orders', subject: 'saga', rule: "helpers ['rpc']" }),
    );
    expect(denials()).toEqual([
      { app: 'orders', action: 'access', subject: 'saga', rule: "helpers ['rpc']", tabId: 'tab-1' },
    ]);
    const tab = systemAccess(orders, 'tab');
    expect(() => tab.publish('$sys.tab.joined', {})).toThrow(/read-only for apps/);
    const history = systemAccess(orders, 'history');
    expect(history.receives('orders.placed')).toBe(true);
    expect(history.receives('inventory.reserved')).toBe(false);
    expect(() => history.authorize('inventory.#', 'getHistory')).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', action: 'subscribe', subject: 'inventory.#' }),
    );
  });

  it('without a manifest is limited to its namespaces only', () => {
    const { bus } = setup();
    const app = forApp(bus, 'legacy');
    const rpc = systemAccess(app, 'rpc');
    expect(rpc.publish('$sys.rpc.request.anything', 1).source).toBe('legacy');
    expect(() => rpc.publish('$sys.circuit.x.open', 1)).toThrow(isPermissionErrorMatcher());
    expect(rpc.receives('anything')).toBe(true);
    expect(rpc.authorize('$sys.frame.#', 'subscribe')).toBe('all');
  });

  it('provides only services of its namespace and reads any', () => {
    const { bus } = setup();
    const orders = forApp(bus, 'orders');
    const rpc = systemAccess(orders, 'rpc');
    const withdraw = rpc.provide('switchboard.rpc.local', 1);
    expect(systemAccess(bus, 'x').lookup('switchboard.rpc.local')).toBe(1);
    withdraw();
    expect(() => rpc.provide('leadership', {})).toThrow(/may only provide services named 'rpc'/);
  });

  it('ends with the handle: subscriptions dropped, onDispose run, later use refused', () => {
    const { bus } = setup();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const rpc = systemAccess(orders, 'rpc');
    const other = systemAccess(orders, 'aggregate');
    const handler = vi.fn();
    rpc.subscribe('$sys.rpc.#', handler);
    const cleanup = vi.fn();
    rpc.onDispose(cleanup);
    expect(orders.stats().accesses).toBe(2);
    other.release();
    expect(orders.stats().accesses).toBe(1);
    expect(() => other.publish('$sys.aggregate.x', 1)).toThrow(/was released/);
    orders.dispose();
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(rpc.released).toBe(true);
    systemAccess(bus, 'test').publish('$sys.rpc.reply.x', 1);
    expect(handler).not.toHaveBeenCalled();
    expect(() => rpc.publish('$sys.rpc.reply.x', 1)).toThrow(/handle of app 'orders' was disposed/);
    expect(() => systemAccess(orders, 'rpc')).toThrow(/was disposed/);
  });

  it('is found by another bundled copy of the library through the shared registry', async () => {
    const { bus } = setup();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    vi.resetModules();
    // A second instance of the module, as a second bundled copy of the library would be.
    const copy = (await import('../src/system-access.ts?copy' as string)) as typeof import('../src/system-access.ts');
    const access = copy.systemAccess(orders, 'rpc');
    expect(access.publish('$sys.rpc.request.inventory.get', 1).source).toBe('orders');
  });
});

function isPermissionErrorMatcher() {
  return expect.toSatisfy(isPermissionError);
}
