import { describe, expect, it } from 'vitest';
import { createTestTabs } from '../src/index.ts';

describe('createTestTabs', () => {
  it('links tabs like an origin: delivery, presence, leader hand-over after a crash', async () => {
    const tabs = createTestTabs();
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
    const first = createTestTabs();
    const second = createTestTabs();
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
