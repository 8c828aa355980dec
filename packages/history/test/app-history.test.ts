import { createPubSub, isSwitchboardError } from '@switchboard/bus';
import { defineManifest, forApp, isPermissionError } from '@switchboard/bus/apps';
import { describe, expect, it, vi } from 'vitest';
import { createHistoryAdapter } from '../src/index.ts';
import { freshIndexedDB } from './support.ts';

const manifest = defineManifest({
  orders: { publish: ['orders.#'], subscribe: ['orders.#', 'inventory.stock.+'] },
});

async function setup() {
  const bus = createPubSub({ app: 'shell' });
  const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
  await history.attach(bus);
  bus.publish('orders.placed', 1);
  bus.publish('inventory.stock.a', 2);
  bus.publish('inventory.reserved', 3);
  bus.publish('cart.added', 4);
  const orders = forApp(bus, 'orders', { permissions: manifest.orders });
  return { bus, history, orders, reader: history.forApp(orders) };
}

const topics = (messages: ReadonlyArray<{ topic: string }>): string[] => messages.map((m) => m.topic);

describe('history.forApp (what one app may read)', () => {
  it('a query returns only what the app may subscribe to', async () => {
    const { history, reader } = await setup();
    expect(topics(await reader.getHistory('orders.#'))).toEqual(['orders.placed']);
    expect(topics(await reader.getHistory('inventory.#'))).toEqual(['inventory.stock.a']);
    expect(topics(await reader.getHistory('#'))).toEqual(['orders.placed', 'inventory.stock.a']);
    expect(topics(await history.getHistory('#'))).toHaveLength(4);
  });

  it('a query reaching nothing allowed is refused, counted and reported', async () => {
    const { bus, orders, reader } = await setup();
    const denied = vi.fn();
    bus.subscribe('$sys.app.denied', denied);
    await expect(reader.getHistory('cart.#')).rejects.toSatisfy(
      (error: unknown) => isPermissionError(error) && error.app === 'orders' && error.subject === 'cart.#',
    );
    expect(orders.stats().denied).toBe(1);
    expect(denied).toHaveBeenCalledTimes(1);
  });

  it('a replay returns only what the app may receive, then live messages through its handle', async () => {
    const { bus, orders, reader } = await setup();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const seen: string[] = [];
    await reader.subscribe('#', (m) => void seen.push(m.topic));
    bus.publish('inventory.reserved', 5);
    bus.publish('orders.confirmed', 6);
    expect(seen).toEqual(['orders.placed', 'inventory.stock.a', 'orders.confirmed']);
    await expect(reader.subscribe('cart.#', () => {})).rejects.toSatisfy(isPermissionError);
    orders.dispose();
    bus.publish('orders.failed', 7);
    expect(seen).toHaveLength(3);
    await expect(reader.getHistory('orders.#')).rejects.toSatisfy((e: unknown) =>
      isSwitchboardError(e, 'BUS_DISPOSED'),
    );
  });

  it('rebuilds from what the app may receive', async () => {
    const { reader } = await setup();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await reader.rebuild('#', (sum: number, m) => sum + (m.payload as number), 0)).toBe(3);
  });

  it('on the full bus reads everything', async () => {
    const { bus, history } = await setup();
    expect(topics(await history.forApp(bus).getHistory('#'))).toHaveLength(4);
    expect(bus.stats().adapters).toEqual(['history', 'app:orders']);
  });

  it('needs the history attached to replay', async () => {
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB() });
    const bus = createPubSub({ app: 'shell' });
    const reader = history.forApp(forApp(bus, 'orders'));
    await expect(reader.subscribe('orders.#', () => {})).rejects.toThrow(
      /history\.forApp\(\)\.subscribe\(\): this history is not attached/,
    );
  });
});
