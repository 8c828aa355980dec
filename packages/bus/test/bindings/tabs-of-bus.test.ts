import { describe, expect, it } from 'vitest';
import { forApp } from '../../src/apps.ts';
import { createPubSub, isSwitchboardError, type Leadership } from '../../src/index.ts';
import { type TabInfo, tabsOfBus } from '../../src/internal.ts';

const HOW = 'give it a bus';

/** What cross-tab provides as `'presence'`, driven by the test. */
function fakePresence(initial: readonly TabInfo[]) {
  let tabs = initial;
  const listeners = new Set<(tabs: readonly TabInfo[]) => void>();
  return {
    service: {
      tabs: () => tabs,
      onChange(listener: (tabs: readonly TabInfo[]) => void) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    },
    change(next: readonly TabInfo[]) {
      tabs = next;
      for (const listener of listeners) listener(next);
    },
    listening: () => listeners.size,
  };
}

function tab(tabId: string, leader: boolean): TabInfo {
  return { tabId, apps: ['orders'], lastSeen: 0, leader };
}

describe('tabsOfBus', () => {
  it('on a bus without cross-tab, the tab is alone and leads; its access shows until released', () => {
    const bus = createPubSub({ app: 'orders', tabId: 'tab-1' });
    const { source, release } = tabsOfBus('useLeader', bus, HOW);
    expect(bus.stats().adapters).toEqual(['useLeader()']);
    expect([source.isLeader(), source.leaderTabId()]).toEqual([true, 'tab-1']);
    expect(source.tabs()).toEqual([{ tabId: 'tab-1', apps: ['orders'], lastSeen: expect.any(Number), leader: true }]);
    // Nothing will ever change: the listeners are not kept, their removal is a no-op.
    source.onChange(() => {})();
    source.onLeaderChange(() => {})();
    release();
    expect(bus.stats().adapters).toEqual([]);
  });

  it("reads the leadership and presence services, looked up each time, and follows presence's changes", () => {
    const bus = createPubSub({ app: 'orders', tabId: 'tab-1' });
    const { source, release } = tabsOfBus('usePresence', bus, HOW);
    let leader = 'tab-2';
    const leadership: Leadership = { isLeader: () => leader === 'tab-1', leaderTabId: () => leader };
    const presence = fakePresence([tab('tab-1', false), tab('tab-2', true)]);
    bus.attach({
      name: 'cross-tab',
      connect(link) {
        link.provide('leadership', leadership);
        link.provide('presence', presence.service);
      },
    });
    expect([source.isLeader(), source.leaderTabId()]).toEqual([false, 'tab-2']);
    expect(source.tabs().map((info) => info.tabId)).toEqual(['tab-1', 'tab-2']);

    const lists: string[][] = [];
    let leaderChanges = 0;
    const offList = source.onChange((tabs) => lists.push(tabs.map((info) => info.tabId)));
    const offLeader = source.onLeaderChange(() => leaderChanges++);
    leader = 'tab-1';
    presence.change([tab('tab-1', true)]);
    expect(lists).toEqual([['tab-1']]);
    expect(leaderChanges).toBe(1);
    expect([source.isLeader(), source.leaderTabId()]).toEqual([true, 'tab-1']);
    offList();
    offLeader();
    expect(presence.listening()).toBe(0);
    release();
  });

  it('answers through a per-app handle, which has no crossTab of its own', () => {
    const bus = createPubSub({ app: 'shell', tabId: 'tab-1' });
    bus.attach({
      name: 'cross-tab',
      connect: (link) => void link.provide('leadership', { isLeader: () => false, leaderTabId: () => 'tab-9' }),
    });
    const orders = forApp(bus, 'orders');
    const { source, release } = tabsOfBus('useLeader', orders, HOW);
    expect([source.isLeader(), source.leaderTabId()]).toEqual([false, 'tab-9']);
    release();
  });

  it('names the fix, in the words given, when the bus is not one it can read', () => {
    const standIn = { app: 'stand-in', tabId: 'tab', subscribe: () => () => {}, publish: () => undefined } as never;
    let thrown: unknown;
    try {
      tabsOfBus('usePresence', standIn, HOW);
    } catch (error) {
      thrown = error;
    }
    expect(isSwitchboardError(thrown, 'INVALID_OPTION')).toBe(true);
    expect((thrown as Error).message).toBe(
      'usePresence(): nothing to ask about the tabs; give it a bus, or pass { crossTab } (what attachCrossTab() ' +
        'returns) or { bus } to usePresence().',
    );
    expect(isSwitchboardError((thrown as Error).cause, 'INVALID_OPTION')).toBe(true);
  });
});
