import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { describe, expect, it } from 'vitest';
import { createStoreRegistry, defineStore, isStoreError, type StoreLoopError } from '../src/index.ts';
import { storeTabs } from './support.ts';

// The four-store order pipeline: each store handles one domain and emits what happened; the
// wiring decides who reacts. No store imports another.
const order = defineStore({
  name: 'shop.order',
  owner: 'shop',
  scope: 'origin',
  initial: {} as Record<string, 'validated'>,
  events: ['order.validated'],
  commands: {
    validate: (state, payload: { orderId: string; total: number }, ctx) => {
      ctx.emit('order.validated', payload);
      return { ...state, [payload.orderId]: 'validated' as const };
    },
  },
});
const payment = defineStore({
  name: 'shop.payment',
  owner: 'shop',
  scope: 'origin',
  initial: { processed: [] as string[] },
  events: ['payment.completed'],
  commands: {
    process: (state, payload: { orderId: string; amount: number }, ctx) => {
      ctx.emit('payment.completed', { orderId: payload.orderId, transactionId: `tx-${payload.orderId}` });
      return { processed: [...state.processed, payload.orderId] };
    },
  },
});
const fulfillment = defineStore({
  name: 'shop.fulfillment',
  owner: 'shop',
  scope: 'origin',
  initial: { shipped: [] as string[] },
  events: ['fulfillment.shipped'],
  commands: {
    ship: (state, payload: { orderId: string; transactionId: string }, ctx) => {
      ctx.emit('fulfillment.shipped', { orderId: payload.orderId, trackingCode: `track-${payload.transactionId}` });
      return { shipped: [...state.shipped, payload.orderId] };
    },
  },
});
const notification = defineStore({
  name: 'shop.notification',
  owner: 'shop',
  scope: 'origin',
  initial: [] as string[],
  commands: {
    send: (state, payload: { orderId: string; trackingCode: string }) => [
      ...state,
      `${payload.orderId} shipped: ${payload.trackingCode}`,
    ],
  },
});

/** The pipeline's wiring, as each tab's shell would set it up. */
function wirePipeline(bus: PubSubBus, stores: ReturnType<typeof createStoreRegistry>) {
  const payments = stores.get(payment);
  const fulfilments = stores.get(fulfillment);
  const notifications = stores.get(notification);
  bus.subscribe<{ orderId: string; total: number }>('order.validated', (e) => {
    void payments.dispatch('process', { orderId: e.payload.orderId, amount: e.payload.total });
  });
  bus.subscribe<{ orderId: string; transactionId: string }>('payment.completed', (e) => {
    void fulfilments.dispatch('ship', e.payload);
  });
  bus.subscribe<{ orderId: string; trackingCode: string }>('fulfillment.shipped', (e) => {
    void notifications.dispatch('send', e.payload);
  });
  return { orders: stores.get(order), payments, fulfilments, notifications };
}

describe('commands and events between stores', () => {
  it('runs the order pipeline once across two tabs that both wire it', async () => {
    const { tabs, open, until } = storeTabs();
    const a = await open('tab-a', 'shop');
    const b = await open('tab-b', 'shop');
    const inA = wirePipeline(a.bus, a.stores);
    const inB = wirePipeline(b.bus, b.stores);
    await tabs.settle();
    const version = inB.orders.dispatch('validate', { orderId: 'o1', total: 30 });
    await until(() => inA.notifications.get().length > 0 && inB.notifications.get().length > 0);
    await tabs.advance(500);
    expect(await version).toBe(1);
    for (const pipeline of [inA, inB]) {
      expect(pipeline.notifications.get()).toEqual(['o1 shipped: track-tx-o1']);
      expect(pipeline.payments.get().processed).toEqual(['o1']);
      expect(pipeline.fulfilments.get().shipped).toEqual(['o1']);
    }
    // Each event was published once, by the tab whose proposal committed.
    expect(a.topics('payment.completed').length + b.topics('payment.completed').length).toBe(2);
    expect(tabs.errors).toEqual([]);
  });

  it('a loop between two stores is stopped by the bus, with an error naming the stores', async () => {
    const errors: unknown[] = [];
    const bus = createPubSub({ app: 'shop', onError: (e) => void errors.push(e) });
    const ping = defineStore({
      name: 'loop.ping',
      owner: 'shop',
      initial: 0,
      commands: {
        ping: (n: number, _: null, ctx) => {
          ctx.emit('loop.pinged');
          return n + 1;
        },
      },
    });
    const pong = defineStore({
      name: 'loop.pong',
      owner: 'shop',
      initial: 0,
      commands: {
        pong: (n: number, _: null, ctx) => {
          ctx.emit('loop.ponged');
          return n + 1;
        },
      },
    });
    const stores = createStoreRegistry(bus);
    const a = stores.get(ping);
    const b = stores.get(pong);
    bus.subscribe('loop.pinged', () => void b.dispatch('pong', null));
    bus.subscribe('loop.ponged', () => void a.dispatch('ping', null));
    await a.dispatch('ping', null);
    await stores.flush();
    const loop = errors.find((e) => isStoreError(e) && e.code === 'LOOP_DETECTED') as StoreLoopError | undefined;
    expect(loop).toBeDefined();
    expect(loop!.stores).toContain('loop.ping');
    expect(loop!.stores).toContain('loop.pong');
    expect(loop!.message).toMatch(/loop\.ping -> loop\.pong -> loop\.ping/);
    expect(a.get() + b.get()).toBeLessThan(40);
  });

  it('dispatching a command the store does not declare is refused', async () => {
    const bus = createPubSub({ app: 'shop' });
    const stores = createStoreRegistry(bus);
    const orders = stores.get(order);
    await expect(orders.dispatch('nope' as 'validate', { orderId: 'x', total: 1 })).rejects.toThrow(
      /declares no such command/,
    );
  });
});
