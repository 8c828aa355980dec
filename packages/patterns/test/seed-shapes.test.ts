// The seed's Saga, Aggregator, RequestResponse and CircuitBreaker sketches, written against the
// library: the same usage shapes, without the sketches' flaws.
import { describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createAggregator, createCircuitBreaker, createRpc, createSaga } from '../src/index.ts';

describe('seed usage shapes', () => {
  it('Saga: checkout with addStep(...).execute() and the saga.* events', async () => {
    const bus = createPubSub({ app: 'saga' });
    const published: string[] = [];
    bus.subscribe('#', (m) => void published.push(m.topic));
    async function checkoutSaga(orderId: string, failPayment: boolean) {
      let reservationId: string;
      let paymentId: string;
      return createSaga(bus)
        .addStep({
          action: async () => {
            reservationId = `res-${orderId}`;
            bus.publish('inventory.reserved', { orderId, reservationId });
          },
          compensation: async () => void bus.publish('inventory.released', { orderId, reservationId }),
        })
        .addStep({
          action: async () => {
            if (failPayment) throw new Error('card declined');
            paymentId = `pay-${orderId}`;
            bus.publish('payment.processed', { orderId, paymentId });
          },
          compensation: async () => void bus.publish('payment.refunded', { orderId, paymentId }),
        })
        .execute();
    }
    bus.subscribe<{ orderId: string; fail: boolean }>('checkout.requested', async (message) => {
      const { orderId, fail } = message.payload;
      const result = await checkoutSaga(orderId, fail);
      if (result.success) bus.publish('checkout.completed', { orderId });
      else bus.publish('checkout.failed', { orderId, error: (result.error as Error).message });
    });
    bus.publish('checkout.requested', { orderId: 'o1', fail: true });
    await bus.flush();
    expect(published).toEqual([
      'checkout.requested',
      'inventory.reserved',
      'saga.step.completed',
      'saga.failed',
      'inventory.released',
      'saga.step.compensated',
      'checkout.failed',
    ]);
  });

  it('Aggregator: loadDashboard with sources, timeout, partial and transform', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'aggregator', clock });
    const aggregator = createAggregator(bus, { clock });
    aggregator.respond('orders', async () => [{ orderId: '123', total: 100 }]);
    aggregator.respond('inventory', async () => [{ productId: 'ABC', stock: 50 }]);
    // analytics is not mounted: partial results, and the transform's defaults apply.
    const data = await aggregator.aggregate<{ orders: unknown[]; inventory: unknown[]; analytics: unknown }>({
      sources: ['orders', 'inventory', 'analytics'],
      timeout: 3000,
      partial: true,
      transform: (results) => ({
        orders: (results.get('orders') as unknown[]) || [],
        inventory: (results.get('inventory') as unknown[]) || [],
        analytics: results.get('analytics') || {},
      }),
    });
    expect(data).toEqual({
      orders: [{ orderId: '123', total: 100 }],
      inventory: [{ productId: 'ABC', stock: 50 }],
      analytics: {},
    });
  });

  it('RequestResponse: rpc.handle(...) and await rpc.request<T>(...)', async () => {
    const rpc = createRpc(createPubSub({ app: 'rpc' }));
    rpc.handle('calculateTotal', async (params: { items: { price: number; quantity: number }[] }) =>
      params.items.reduce((sum, item) => sum + item.price * item.quantity, 0),
    );
    rpc.handle(
      'validateOrder',
      async ({ orderId }: { orderId: string }) => ({ orderId, status: 'pending' }).status === 'pending',
    );
    const total = await rpc.request<number>('calculateTotal', {
      items: [
        { price: 10, quantity: 2 },
        { price: 15, quantity: 1 },
      ],
    });
    const isValid = await rpc.request<boolean>('validateOrder', { orderId: '123' });
    expect([total, isValid]).toEqual([35, true]);
  });

  it('CircuitBreaker: getInventory with execute() and a cached fallback', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'circuit-breaker', clock });
    const inventoryBreaker = createCircuitBreaker(bus, {
      name: 'inventory',
      threshold: 5,
      resetTimeoutMs: 60000,
      clock,
    });
    const getCachedInventory = (productId: string) => ({ productId, stock: 0, cached: true });
    let calls = 0;
    async function getInventory(productId: string) {
      try {
        return await inventoryBreaker.execute(async () => {
          calls++;
          throw new Error('Inventory service error');
        });
      } catch {
        return getCachedInventory(productId);
      }
    }
    for (let i = 0; i < 7; i++) expect(await getInventory('ABC')).toEqual({ productId: 'ABC', stock: 0, cached: true });
    expect(calls).toBe(5);
    expect(inventoryBreaker.state()).toBe('OPEN');
  });
});
