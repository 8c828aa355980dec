// The event-sourcing samples of seeds/003 ("Event Store", rebuildOrderState, getOrderStateAt),
// run as written with only the imports changed:
//   '@belyas/pubsub-mfe'                  -> '@switchboard/bus'
//   '@belyas/pubsub-mfe/adapters/history' -> '@switchboard/history'
// The one addition is the test's own `indexedDB` (fake-indexeddb is installed globally by
// ./support.ts, so the sample's options are used unchanged) and the body of getOrderStateAt's
// "... (similar to rebuildOrderState)", filled in the only way the comment allows.
import { describe, expect, it } from 'vitest';
import './support.ts';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter } from '@switchboard/history';

async function eventStoreSample() {
  // ---- seed sample: Event Store ----
  // Event store with long retention
  const history = createHistoryAdapter({
    dbName: 'event-store',
    namespace: 'domain-events',
    ttlSeconds: 90 * 24 * 60 * 60, // 90 days
    maxMessages: 50000,
    gcIntervalMs: 60000, // GC runs every minute
    debug: false,
  });
  const bus = createPubSub({ app: 'event-store' });
  await history.attach(bus);
  // Define domain events
  interface OrderCreated {
    orderId: string;
    customerId: string;
    items: Array<{ productId: string; quantity: number; price: number }>;
    total: number;
  }
  interface OrderPaid {
    orderId: string;
    paymentMethod: string;
    amount: number;
  }
  interface OrderShipped {
    orderId: string;
    trackingNumber: string;
    carrier: string;
  }
  // Helper function to calculate total
  function calculateTotal(items: Array<{ productId: string; quantity: number; price: number }>) {
    return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  }
  // Publish events
  function createOrder(order: Omit<OrderCreated, 'total'>) {
    const total = calculateTotal(order.items);
    bus.publish('domain.order.created', { ...order, total });
  }
  function payOrder(payment: OrderPaid) {
    bus.publish('domain.order.paid', payment);
  }
  function shipOrder(shipment: OrderShipped) {
    bus.publish('domain.order.shipped', shipment);
  }
  // Rebuild state from events
  async function rebuildOrderState(orderId: string) {
    const events = await history.getHistory('domain.order.#', {
      limit: 1000,
    });
    const orderEvents = events.filter((e) => e.topic.startsWith('domain.order.') && e.payload.orderId === orderId);
    const state = {
      orderId,
      status: 'pending' as 'pending' | 'paid' | 'shipped',
      items: [] as Array<{ productId: string; quantity: number; price: number }>,
      total: 0,
      paymentMethod: null as string | null,
      trackingNumber: null as string | null,
    };
    for (const event of orderEvents) {
      switch (event.topic) {
        case 'domain.order.created':
          state.items = event.payload.items;
          state.total = event.payload.total;
          break;
        case 'domain.order.paid':
          state.status = 'paid';
          state.paymentMethod = event.payload.paymentMethod;
          break;
        case 'domain.order.shipped':
          state.status = 'shipped';
          state.trackingNumber = event.payload.trackingNumber;
          break;
      }
    }
    return state;
  }
  // Time-travel debugging
  async function getOrderStateAt(orderId: string, timestamp: number) {
    const events = await history.getHistory('domain.order.#', {
      fromTime: 0,
      limit: 10000,
    });
    // Filter events up to that point in time and for this order
    const relevantEvents = events.filter((e) => e.ts <= timestamp && e.payload.orderId === orderId);
    // Rebuild state up to that point
    // ... (similar to rebuildOrderState)
    const state = {
      orderId,
      status: 'pending' as 'pending' | 'paid' | 'shipped',
      total: 0,
      trackingNumber: null as string | null,
    };
    for (const event of relevantEvents) {
      if (event.topic === 'domain.order.created') state.total = event.payload.total;
      if (event.topic === 'domain.order.paid') state.status = 'paid';
      if (event.topic === 'domain.order.shipped') {
        state.status = 'shipped';
        state.trackingNumber = event.payload.trackingNumber;
      }
    }
    return state;
  }
  // ---- end of seed sample ----
  return { history, bus, createOrder, payOrder, shipOrder, rebuildOrderState, getOrderStateAt };
}

describe('seed 003 event-sourcing samples', () => {
  it('rebuild order state from the event store, now and as of a past time', async () => {
    const sample = await eventStoreSample();
    const { bus, history } = sample;
    await history.clear();
    const items = [
      { productId: 'p1', quantity: 2, price: 10 },
      { productId: 'p2', quantity: 1, price: 5 },
    ];
    sample.createOrder({ orderId: 'o-1', customerId: 'c-1', items });
    sample.createOrder({ orderId: 'o-2', customerId: 'c-2', items: [{ productId: 'p3', quantity: 1, price: 99 }] });
    sample.payOrder({ orderId: 'o-1', paymentMethod: 'card', amount: 25 });
    await bus.flush();
    const paidAt = (await history.getHistory('domain.order.paid'))[0]!.ts;
    // Wait for the clock to move past the payment, so "as of paidAt" excludes the shipment.
    while (Date.now() <= paidAt) await new Promise((resolve) => setImmediate(resolve));
    sample.shipOrder({ orderId: 'o-1', trackingNumber: 'TRK-1', carrier: 'UPS' });
    await bus.flush();

    expect(await sample.rebuildOrderState('o-1')).toEqual({
      orderId: 'o-1',
      status: 'shipped',
      items,
      total: 25,
      paymentMethod: 'card',
      trackingNumber: 'TRK-1',
    });
    expect(await sample.rebuildOrderState('o-2')).toMatchObject({ status: 'pending', total: 99 });
    expect(await sample.getOrderStateAt('o-1', paidAt)).toEqual({
      orderId: 'o-1',
      status: 'paid',
      total: 25,
      trackingNumber: null,
    });
    expect(await sample.getOrderStateAt('o-1', Date.now())).toMatchObject({
      status: 'shipped',
      trackingNumber: 'TRK-1',
    });
    await history.close();
  });
});
