// Cross-tab as @switchboard/testing runs it: the in-memory tabs of its README, and its first
// flush pattern. The kit's own tests (packages/testing) use a stand-in transport.
import { createPubSub } from '@switchboard/bus';
import { createFakeClock, createMemoryChannelHub, createTestTabs } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { attachCrossTab } from '../src/index.ts';

describe('createTestTabs with cross-tab', () => {
  it('links tabs like an origin: delivery, presence, leader hand-over after a crash', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const a = tabs.open('tab-a', 'orders');
    const b = tabs.open('tab-b', 'inventory');
    await tabs.advance(2_000);
    expect(
      b.crossTab
        .tabs()
        .map((tab) => tab.tabId)
        .sort(),
    ).toEqual(['tab-a', 'tab-b']);

    a.bus.publish('orders.placed', { id: 1 });
    await tabs.settle();
    expect(b.topics('orders.')).toEqual(['orders.placed']);
    expect(a.topics('orders.')).toEqual(['orders.placed']); // its own, once

    const leader = a.crossTab.isLeader() ? a : b;
    const other = leader === a ? b : a;
    leader.crash();
    await tabs.advance(10_000);
    expect(other.crossTab.isLeader()).toBe(true);
    expect(other.topics('$sys.tab.left')).toEqual(['$sys.tab.left']);
    expect(tabs.errors).toEqual([]);
  });

  it('keeps two sets apart and lets a tab close with a goodbye', async () => {
    const first = createTestTabs({ attachCrossTab });
    const second = createTestTabs({ attachCrossTab });
    const a = first.open('a');
    const b = first.open('b');
    const stranger = second.open('c');
    a.bus.publish('hello', 1);
    await first.settle();
    await second.settle();
    expect(b.topics('hello')).toEqual(['hello']);
    expect(stranger.topics('hello')).toEqual([]);
    b.close();
    await first.settle();
    expect(b.bus.disposed).toBe(true);
    expect(a.crossTab.tabs().map((tab) => tab.tabId)).toEqual(['a']);
  });
});

describe('flush patterns with cross-tab', () => {
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
});
