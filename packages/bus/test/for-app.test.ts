import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  APP_DENIED_TOPIC,
  defineManifest,
  forApp,
  isPermissionError,
  type AppDenial,
  type PermissionError,
} from '../src/apps.ts';
import { createPubSub, isSwitchboardError, type AdapterLink, type Message } from '../src/index.ts';

const manifest = defineManifest({
  orders: { publish: ['orders.#'], subscribe: ['orders.#', 'inventory.stock.+'] },
  inventory: { publish: ['inventory.#'], subscribe: ['inventory.#', 'orders.placed'] },
});

function host() {
  const errors: unknown[] = [];
  const bus = createPubSub({ app: 'shell', tabId: 'tab-1', onError: (error) => void errors.push(error) });
  let link!: AdapterLink;
  bus.attach({
    name: 'remote',
    connect: (connected) => {
      link = connected;
    },
  });
  const denials: AppDenial[] = [];
  bus.subscribe<AppDenial>(APP_DENIED_TOPIC, (message) => void denials.push(message.payload));
  /** A message as another tab would have published it. */
  const remote = (topic: string, payload: unknown, source = 'elsewhere'): Message => ({
    id: `remote-${topic}-${Math.random()}`,
    topic,
    payload,
    ts: 1,
    source,
    meta: {},
    origin: { tabId: 'tab-2' },
    depth: 0,
  });
  return { bus, link: () => link, errors, denials, remote };
}

function caught(run: () => unknown): PermissionError {
  try {
    run();
  } catch (error) {
    if (isPermissionError(error)) return error;
    throw error;
  }
  throw new Error('expected a PermissionError');
}

afterEach(() => vi.restoreAllMocks());

describe('forApp', () => {
  it('stamps the app as source on everything it publishes; the caller cannot set it', () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const seen: Message[] = [];
    bus.subscribe('#', (message) => void seen.push(message));
    const message = orders.publish('orders.placed', { id: 1 }, { source: 'inventory' } as never);
    expect(message.source).toBe('orders');
    expect(seen.map((m) => m.source)).toEqual(['orders']);
    expect(bus.publish('shell.ready', {}).source).toBe('shell');
    expect(orders.app).toBe('orders');
    expect(orders.tabId).toBe('tab-1');
  });

  it('refuses a publish outside its permissions: typed error, counted, reported, nothing sent', () => {
    const { bus, denials } = host();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const received = vi.fn();
    bus.subscribe('inventory.#', received);
    const error = caught(() => orders.publish('inventory.reserved', { sku: 'a' }));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error).toMatchObject({ app: 'orders', action: 'publish', subject: 'inventory.reserved' });
    expect(error.rule).toBe("publish ['orders.#']");
    expect(error.message).toMatch(/^publish\('inventory\.reserved'\): app 'orders' may not publish/);
    expect(received).not.toHaveBeenCalled();
    expect(orders.stats()).toMatchObject({ published: 0, denied: 1 });
    expect(denials).toEqual([
      { app: 'orders', action: 'publish', subject: 'inventory.reserved', rule: "publish ['orders.#']", tabId: 'tab-1' },
    ]);
    // The same topic is refused again, not remembered as allowed.
    expect(() => orders.publish('inventory.reserved', {})).toThrow(/may not publish/);
    orders.publish('orders.placed', {});
    expect(orders.stats()).toMatchObject({ published: 1, denied: 2 });
  });

  it('cannot publish into $sys., with or without a manifest, and a bad topic is a TopicError', () => {
    const { bus } = host();
    for (const handle of [forApp(bus, 'a'), forApp(bus, 'b', { permissions: manifest.orders })]) {
      expect(() => handle.publish('$sys.tab.joined', {})).toThrow(expect.objectContaining({ code: 'RESERVED_TOPIC' }));
      expect(() => handle.publish('orders.+', {})).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    }
  });

  it('has no attach, no adapter link and nothing that leads back to the full bus', () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders');
    expect('attach' in orders).toBe(false);
    const reachable = Object.values(Object.getOwnPropertyDescriptors(orders)).map((d) => d.value);
    expect(reachable).not.toContain(bus);
    expect(() => forApp(orders as never, 'nested')).toThrow(/a handle cannot make handles/);
  });

  it('refuses a subscription that can receive nothing allowed, and names the rule', () => {
    const { bus, denials } = host();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const error = caught(() => orders.subscribe('cart.#', () => {}));
    expect(error).toMatchObject({ app: 'orders', action: 'subscribe', subject: 'cart.#' });
    expect(error.rule).toBe("subscribe ['orders.#', 'inventory.stock.+']");
    expect(() => orders.subscribe('$sys.tab.#', () => {})).toThrow(/may not receive/);
    expect(() => orders.once('cart.x', () => {})).toThrow(/may not receive/);
    expect(orders.stats()).toMatchObject({ denied: 3, subscriptions: 0 });
    expect(denials.map((d) => d.subject)).toEqual(['cart.#', '$sys.tab.#', 'cart.x']);
    expect(() => orders.subscribe('cart.+x+', () => {})).toThrow(expect.objectContaining({ code: 'INVALID_PATTERN' }));
  });

  it('never delivers what the app may not receive: local, from other tabs, through a wider pattern', () => {
    const { bus, link, remote } = host();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const topics: string[] = [];
    orders.subscribe('#', (message) => void topics.push(message.topic));
    orders.subscribe('inventory.#', (message) => void topics.push(`inv:${message.topic}`));
    bus.publish('orders.placed', {});
    bus.publish('cart.added', {});
    link().inject(remote('inventory.stock.sku1', 3));
    link().inject(remote('inventory.reserved', {}));
    link().inject(remote('payments.taken', {}));
    expect(topics).toEqual(['orders.placed', 'inventory.stock.sku1', 'inv:inventory.stock.sku1']);
    expect(orders.stats().filtered).toBe(4);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("subscribe('#') by app 'orders' reaches beyond"));
  });

  it('once fires for the first allowed message only', () => {
    const { bus } = host();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const handler = vi.fn();
    orders.once('#', handler);
    bus.publish('cart.added', 1);
    bus.publish('orders.placed', 2);
    bus.publish('orders.placed', 3);
    expect(handler.mock.calls.map(([m]) => m.payload)).toEqual([2]);
    expect(orders.stats().subscriptions).toBe(0);
  });

  it('waitFor is checked and resolves with an allowed message', async () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    await expect(orders.waitFor('cart.#')).rejects.toSatisfy(isPermissionError);
    const waiting = orders.waitFor('orders.+');
    bus.publish('orders.placed', 7);
    await expect(waiting).resolves.toMatchObject({ payload: 7 });
  });

  it('without permissions checks nothing (today’s behaviour) but still stamps and disposes', () => {
    const { bus } = host();
    const app = forApp(bus, 'legacy');
    const handler = vi.fn();
    app.subscribe('#', handler);
    app.subscribe('$sys.tab.#', handler);
    expect(app.publish('anything.at.all', 1).source).toBe('legacy');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(app.permissions).toBeUndefined();
    app.dispose();
    bus.publish('anything.else', 2);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('dispose drops every subscription made through it and nothing else', async () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders', { permissions: manifest.orders });
    const mine = vi.fn();
    const shells = vi.fn();
    const controller = new AbortController();
    orders.subscribe('orders.#', mine);
    orders.subscribe('orders.placed', mine, { signal: controller.signal });
    orders.once('orders.+', mine);
    const waiting = orders.waitFor('orders.confirmed');
    bus.subscribe('orders.#', shells);
    const before = bus.stats().subscriptions;
    expect(orders.stats().subscriptions).toBe(4);
    orders.dispose();
    expect(bus.stats().subscriptions).toBe(before - 4);
    await expect(waiting).rejects.toSatisfy((error: unknown) => isSwitchboardError(error, 'BUS_DISPOSED'));
    bus.publish('orders.placed', {});
    expect(mine).not.toHaveBeenCalled();
    expect(shells).toHaveBeenCalledTimes(1);
    expect(orders.disposed).toBe(true);
    expect(() => orders.publish('orders.placed', {})).toThrow(/handle of app 'orders' was disposed/);
    expect(() => orders.subscribe('orders.#', mine)).toThrow(expect.objectContaining({ code: 'BUS_DISPOSED' }));
    expect(bus.stats().adapters).not.toContain('app:orders');
    orders.dispose();
  });

  it('an unsubscribe or an aborted signal leaves the handle at once', () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders');
    const controller = new AbortController();
    const off = orders.subscribe('a', () => {});
    orders.subscribe('b', () => {}, { signal: controller.signal });
    expect(orders.stats().subscriptions).toBe(2);
    off();
    controller.abort();
    expect(orders.stats().subscriptions).toBe(0);
  });

  it('is disposed with the full bus', () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders');
    bus.dispose();
    expect(orders.disposed).toBe(true);
  });

  it('validates its arguments with clear errors', () => {
    const { bus } = host();
    expect(() => forApp(bus, '')).toThrow(/app must be a non-empty string/);
    expect(() => forApp(bus, 'x', { permissions: { publish: ['a.#'], subscibe: [] } as never })).toThrow(
      /unknown permission 'subscibe'/,
    );
    expect(() => forApp(bus, 'x', { helpers: ['rpc', 'tab'] })).toThrow(/'tab' is one of the runtime's own namespaces/);
  });

  it('flush waits for the bus', async () => {
    const { bus } = host();
    const orders = forApp(bus, 'orders');
    let settled = false;
    orders.subscribe('a', async () => {
      await Promise.resolve();
      settled = true;
    });
    orders.publish('a', 1);
    await orders.flush();
    expect(settled).toBe(true);
  });
});
