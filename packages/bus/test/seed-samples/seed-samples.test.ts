// The primary seed's samples, run as written (see scripts/extract-seed-samples.py): they are the
// API's first users, so every one of them must work against @switchboard/bus.
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('seed sample: CQRS', () => {
  it('routes commands to domain events and isolates a failing command handler', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const sample = await import('./cqrs.sample.ts');
    const created = sample.eventBus.waitFor('domain.order.created');
    sample.sendCommand('commands.order.create', {
      customerId: 'c1',
      items: [{ productId: 'p', quantity: 2, price: 5 }],
    });
    await expect(created).resolves.toMatchObject({ payload: { customerId: 'c1', total: 10 } });

    // "Order must have items" is thrown by the sample's handler: reported, never thrown at the sender.
    const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    expect(() => sample.sendCommand('commands.order.create', { customerId: 'c1', items: [] })).not.toThrow();
    await expect(uncaught).resolves.toMatchObject({ message: 'Order must have items' });
  });

  it('answers a correlated list query', async () => {
    const sample = await import('./cqrs.sample.ts');
    await expect(
      sample.executeQuery('queries.orders.list', { customerId: 'user-456', status: 'pending' }),
    ).resolves.toEqual([]);
  });

  it("shows the sample's own get-query bug: the reply goes to the order id topic, not the correlation id", async () => {
    const sample = await import('./cqrs.sample.ts');
    const reply = sample.eventBus.waitFor('queries.order.get.result.123');
    let settled = false;
    void sample.usage().finally(() => (settled = true));
    await expect(reply).resolves.toMatchObject({ payload: null });
    await sample.queryBus.flush();
    await sample.eventBus.flush();
    expect(settled).toBe(false);
  });
});

describe('seed sample: Saga', () => {
  it('runs the checkout saga and reports progress', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { bus } = await import('./saga.sample.ts');
    const steps: unknown[] = [];
    bus.subscribe('saga.step.completed', (m) => void steps.push(m.payload));
    const completed = bus.waitFor('checkout.completed');
    bus.publish('checkout.requested', { orderId: 'o1', customerId: 'c1', paymentInfo: { card: 'x' } });
    await expect(completed).resolves.toMatchObject({ payload: { orderId: 'o1' } });
    expect(steps).toEqual([1, 2, 3, 4].map((step) => ({ step, total: 4 })));
  });

  it('compensates completed steps in reverse order when one fails', async () => {
    const { bus, Saga } = await import('./saga.sample.ts');
    const log: string[] = [];
    const result = await new Saga(bus)
      .addStep({ action: async () => void log.push('a1'), compensation: async () => void log.push('c1') })
      .addStep({ action: async () => void log.push('a2'), compensation: async () => void log.push('c2') })
      .addStep({
        action: async () => {
          throw new Error('payment declined');
        },
        compensation: async () => void log.push('c3'),
      })
      .execute();
    expect(result.success).toBe(false);
    expect(log).toEqual(['a1', 'a2', 'c2', 'c1']);
  });
});

describe('seed sample: Aggregator', () => {
  it('gathers the dashboard from three responders', async () => {
    const { loadDashboard } = await import('./aggregator.sample.ts');
    await expect(loadDashboard()).resolves.toEqual({
      orders: [{ orderId: '123', total: 100 }],
      inventory: [{ productId: 'ABC', stock: 50 }],
      analytics: { revenue: 10000, orders: 150 },
    });
  });
});

describe('seed sample: Request-Response', () => {
  it('answers both top-level requests', async () => {
    const { total, isValid } = await import('./request-response.sample.ts');
    expect(total).toBe(35);
    expect(isValid).toBe(true);
  });
});

describe('seed sample: Circuit Breaker', () => {
  it('opens after five failures and serves the cached fallback', async () => {
    const fetch = vi.fn(async () => ({ ok: false, json: async () => ({}) }));
    vi.stubGlobal('fetch', fetch);
    const { bus, getInventory } = await import('./circuit-breaker.sample.ts');
    const opened = bus.waitFor('circuit.opened');
    for (let i = 0; i < 5; i++) {
      await expect(getInventory('sku-1')).resolves.toEqual({ productId: 'sku-1', stock: 0, cached: true });
    }
    await expect(opened).resolves.toMatchObject({ payload: { name: 'inventory' } });
    await getInventory('sku-1');
    expect(fetch).toHaveBeenCalledTimes(5);
  });
});
