import { describe, expect, it, vi } from 'vitest';
import { createPubSub, type PubSubBus } from '../src/index.ts';

function quietBus(): PubSubBus {
  return createPubSub({ app: 'test', onError: () => {} });
}

describe('subscription churn', () => {
  it('keeps subscription order on a crowded pattern while subscriptions come and go anywhere in it', () => {
    const bus = quietBus();
    const calls: number[] = [];
    const offs = new Map<number, () => void>();
    let next = 0;
    const add = () => {
      const id = next++;
      offs.set(
        id,
        bus.subscribe('crowd.+', () => void calls.push(id)),
      );
    };
    for (let i = 0; i < 1000; i++) add();
    for (const id of [0, 999, 500, 1, 998]) {
      offs.get(id)!();
      offs.delete(id);
    }
    for (let i = 0; i < 10; i++) add();
    for (let id = 2; id < 1000; id += 3) {
      offs.get(id)?.();
      offs.delete(id);
    }
    bus.publish('crowd.x', null);
    expect(calls).toEqual([...offs.keys()].sort((a, b) => a - b));
    expect(bus.stats().subscriptions).toBe(offs.size);
    expect(bus.stats().delivered).toBe(offs.size);
  });

  it('removes an unsubscribe made during a delivery at once, and the entry once the delivery is over', () => {
    const bus = quietBus();
    const calls: string[] = [];
    let offB = (): void => {};
    bus.subscribe('t', () => {
      calls.push('A');
      offB();
    });
    offB = bus.subscribe('t', () => void calls.push('B'));
    bus.subscribe('t', () => void calls.push('C'));
    bus.publish('t', null);
    expect(calls).toEqual(['A', 'C']);
    expect(bus.stats()).toMatchObject({ subscriptions: 2, delivered: 2 });
    calls.length = 0;
    bus.publish('t', null);
    expect(calls).toEqual(['A', 'C']);
  });

  it('starts a subscription made during a delivery with the messages queued behind it', () => {
    const bus = quietBus();
    const late: unknown[] = [];
    bus.subscribe('q', (message) => {
      if (message.payload !== 1) return;
      bus.publish('q', 2); // queued behind this delivery
      bus.subscribe('q', (m) => void late.push(m.payload));
      const off = bus.subscribe('q', () => void late.push('never'));
      off(); // made and ended in one delivery: it never runs
    });
    bus.publish('q', 1);
    expect(late).toEqual([2]);
    expect(bus.stats().subscriptions).toBe(2);
  });

  it('delivers nothing more once a handler disposes the bus mid-delivery', () => {
    const bus = quietBus();
    const after = vi.fn();
    bus.subscribe('#', () => bus.dispose()); // the first list a topic's delivery reads
    bus.subscribe('d', after);
    bus.subscribe('d.#', after);
    bus.publish('d', null);
    expect(after).not.toHaveBeenCalled();
    expect(bus.disposed).toBe(true);
  });

  it('keeps cached topics cached while a pattern that already has subscribers gains and loses them', () => {
    const bus = quietBus();
    bus.subscribe('orders.+', () => {});
    for (const topic of ['orders.a', 'orders.b', 'orders.a', 'orders.b']) bus.publish(topic, null);
    expect(bus.stats().cachedTopics).toBe(2);
    const calls = vi.fn();
    const off = bus.subscribe('orders.+', calls);
    expect(bus.stats().cachedTopics).toBe(2);
    bus.publish('orders.a', null);
    expect(calls).toHaveBeenCalledTimes(1);
    off();
    bus.publish('orders.a', null);
    expect(calls).toHaveBeenCalledTimes(1);
    bus.subscribe('rpc.reply.1', () => {}); // another first segment: still cached
    expect(bus.stats().cachedTopics).toBe(2);
    bus.subscribe('orders.b', calls); // its own topic only
    expect(bus.stats().cachedTopics).toBe(1);
    bus.publish('orders.b', null);
    expect(calls).toHaveBeenCalledTimes(2);
  });
});
