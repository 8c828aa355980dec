// The Vitest examples of the README, kept true: two tabs in one process, a fake clock, memory history.
import { createPubSub } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { describe, expect, it } from 'vitest';
import { createFakeClock, createMemoryChannelHub, createMemoryHistory } from '../src/index.ts';

describe('flush patterns', () => {
  it('links buses as tabs; bus.flush() then hub.flush() lets a message cross', async () => {
    const hub = createMemoryChannelHub();
    const clock = createFakeClock(Date.UTC(2030, 0, 1));
    const orders = createPubSub({ app: 'orders', tabId: 'tab-a', clock });
    const inventory = createPubSub({ app: 'inventory', tabId: 'tab-b', clock });
    attachCrossTab(orders, { channel: 'shop', channelFactory: hub.create, clock });
    attachCrossTab(inventory, { channel: 'shop', channelFactory: hub.create, clock });

    const seen: unknown[] = [];
    inventory.subscribe('orders.created', (message) => void seen.push(message.payload));
    orders.publish('orders.created', { id: 'o1' });
    await orders.flush(); // posted to the channel
    await hub.flush(); // delivered to the other "tab"
    expect(seen).toEqual([{ id: 'o1' }]);

    orders.dispose();
    inventory.dispose();
  });

  it('times out on the fake clock, with no real waiting', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'orders', clock });
    const reply = bus.waitFor('orders.confirmed', { timeout: 5000 });
    clock.advance(5000);
    await expect(reply).rejects.toThrow("waitFor('orders.confirmed'): no matching message within 5000 ms");
  });

  it('keeps history in memory; bus.flush() includes its writes', async () => {
    const clock = createFakeClock(Date.UTC(2030, 0, 1));
    const bus = createPubSub({ app: 'orders', clock });
    const history = createMemoryHistory({ clock });
    await history.attach(bus);
    bus.publish('orders.created', { id: 'o1' });
    await bus.flush();
    expect((await history.getHistory('orders.#')).map((message) => message.payload)).toEqual([{ id: 'o1' }]);
    bus.dispose();
  });
});
