import { describe, expect, it } from 'vitest';
import { createPubSub, isSwitchboardError } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createAggregator } from '../src/index.ts';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createTestTabs } from '@switchboard/testing';

describe('aggregator', () => {
  it('gathers one answer per source from other tabs, with its own correlation id', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const seen: string[] = [];
    const orders = createAggregator(tabs.open('t-1').bus, { clock: tabs.clock });
    orders.respond('orders', (_p, context) => {
      seen.push(context.correlationId!);
      return [{ id: 'o1' }];
    });
    createAggregator(tabs.open('t-2').bus, { clock: tabs.clock }).respond('inventory', () => ({ stock: 3 }));
    const { aggregate } = createAggregator(tabs.open('t-3').bus, { clock: tabs.clock });
    await tabs.settle();
    const result = await aggregate({ sources: ['orders', 'inventory'] });
    expect(result.values).toEqual({ orders: [{ id: 'o1' }], inventory: { stock: 3 } });
    expect(result.missing).toEqual([]);
    expect(seen).toEqual([result.correlationId]);
  });

  it('never mixes the answers of concurrent calls', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    createAggregator(tabs.open('t-1').bus, { clock: tabs.clock }).respond('double', (n: number) => n * 2);
    createAggregator(tabs.open('t-2').bus, { clock: tabs.clock }).respond('square', (n: number) => n * n);
    const { aggregate } = createAggregator(tabs.open('t-3').bus, { clock: tabs.clock });
    await tabs.settle();
    const results = await Promise.all([3, 4, 5].map((n) => aggregate({ sources: ['double', 'square'], params: n })));
    expect(results.map((r) => r.values)).toEqual([
      { double: 6, square: 9 },
      { double: 8, square: 16 },
      { double: 10, square: 25 },
    ]);
    expect(new Set(results.map((r) => r.correlationId)).size).toBe(3);
  });

  it('partial: says which sources are missing and why, and leaves nothing behind', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'a', clock });
    const aggregator = createAggregator(bus, { clock });
    let slowSignal: AbortSignal | undefined;
    aggregator.respond('fast', () => 'here');
    aggregator.respond('slow', (_p, context) => {
      slowSignal = context.signal;
      return new Promise(() => {});
    });
    aggregator.respond('broken', () => {
      throw Object.assign(new Error('db locked'), { code: 'LOCKED' });
    });
    const subscriptions = bus.stats().subscriptions;
    const pending = aggregator.aggregate({
      sources: ['fast', 'slow', 'broken', 'absent'],
      timeout: 300,
      partial: true,
      transform: (results, info) => ({
        fast: results.get('fast'),
        missing: info.missing.map((m) => `${m.source}:${m.code}`),
      }),
    });
    await Promise.resolve();
    clock.advance(300);
    expect(await pending).toEqual({
      fast: 'here',
      missing: ['slow:TIMEOUT', 'broken:REMOTE_ERROR', 'absent:NO_HANDLER'],
    });
    expect(slowSignal?.aborted).toBe(true);
    expect(bus.stats().subscriptions).toBe(subscriptions);
    expect(clock.pendingTimers).toBe(0);
  });

  it('without partial: the first failure rejects and cancels the others', async () => {
    const clock = createFakeClock();
    const aggregator = createAggregator(createPubSub({ app: 'a', clock }), { clock });
    let signal: AbortSignal | undefined;
    aggregator.respond('slow', (_p, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const error = await aggregator.aggregate({ sources: ['slow', 'absent'] }).catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'NO_HANDLER')).toBe(true);
    expect((error as Error).message).toMatch(/^aggregate\(\[slow, absent\]\): no tab responds for source 'absent'/);
    expect(signal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);

    const timedOut = aggregator.aggregate({ sources: ['slow'], timeout: 100 }).catch((e: unknown) => e);
    await Promise.resolve();
    clock.advance(100);
    const timeoutError = await timedOut;
    expect(isSwitchboardError(timeoutError, 'TIMEOUT')).toBe(true);
    expect((timeoutError as Error).message).toContain("source 'slow' did not answer within 100 ms");
  });

  it('aborts via signal and cancels the responders', async () => {
    const clock = createFakeClock();
    const aggregator = createAggregator(createPubSub({ app: 'a', clock }), { clock });
    let signal: AbortSignal | undefined;
    aggregator.respond('slow', (_p, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const controller = new AbortController();
    const result = aggregator
      .aggregate({ sources: ['slow'], partial: true, signal: controller.signal })
      .catch((e: unknown) => e);
    await Promise.resolve();
    controller.abort('closed the dashboard');
    const error = await result;
    expect(isSwitchboardError(error, 'ABORTED')).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
