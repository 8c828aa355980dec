// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { forApp } from '@switchboard/bus/apps';
import { createCrossTabPubSub } from '@switchboard/cross-tab';
import { createMemoryChannelHub } from '@switchboard/testing';
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useLeader, usePresence } from '../src/index.ts';
import { providerWith, renderError, testBus } from './support/react.ts';
import { countListeners, testTabs } from './support/tabs.ts';

describe('useLeader', () => {
  it('follows leadership as it is decided and moves', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'orders');
    const { result } = renderHook(() => useLeader(), { wrapper: providerWith({ bus: a.bus, crossTab: a.crossTab }) });
    expect(result.current).toEqual({ isLeader: false, leaderTabId: undefined });
    await act(() => tabs.advance(1000));
    expect(result.current).toEqual({ isLeader: true, leaderTabId: 'tab-a' });

    // tab-b follows tab-a; when tab-a closes, tab-b leads.
    const b = tabs.open('tab-b', 'orders');
    const follower = renderHook(() => useLeader(), { wrapper: providerWith({ bus: b.bus, crossTab: b.crossTab }) });
    await act(() => tabs.advance(1000));
    expect(follower.result.current).toEqual({ isLeader: false, leaderTabId: 'tab-a' });
    await act(async () => {
      a.close();
      await tabs.advance(1000);
    });
    expect(follower.result.current).toEqual({ isLeader: true, leaderTabId: 'tab-b' });
  });

  it('keeps the same object while nothing changes', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    const { result, rerender } = renderHook(() => useLeader({ crossTab: a.crossTab }));
    await act(() => tabs.advance(1000));
    const state = result.current;
    rerender();
    expect(result.current).toBe(state);
  });

  it('stops listening on unmount', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    const offs: Array<ReturnType<typeof vi.fn>> = [];
    const onLeaderChange = a.crossTab.onLeaderChange;
    a.crossTab.onLeaderChange = (listener) => {
      const off = vi.fn(onLeaderChange(listener));
      offs.push(off);
      return off;
    };
    const { unmount } = renderHook(() => useLeader({ crossTab: a.crossTab }));
    // StrictMode subscribed twice and stopped the first.
    expect(offs.map((off) => off.mock.calls.length)).toEqual([1, 0]);
    unmount();
    expect(offs.map((off) => off.mock.calls.length)).toEqual([1, 1]);
  });

  it("reads the bus's own cross-tab when it comes from createCrossTabPubSub", async () => {
    const hub = createMemoryChannelHub();
    const bus = createCrossTabPubSub({
      app: 'orders',
      tabId: 'solo',
      channelFactory: hub.create,
      leaderElection: 'heartbeat',
    });
    const { result } = renderHook(() => useLeader(), { wrapper: providerWith({ bus }) });
    expect(result.current.isLeader).toBe(bus.crossTab.isLeader());
    bus.dispose();
  });

  it('asks the bus when it has no crossTab: a per-app handle follows leadership too', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'shell');
    const orders = forApp(a.bus, 'orders');
    const { result, unmount } = renderHook(() => useLeader(), { wrapper: providerWith({ bus: orders }) });
    expect(result.current).toEqual({ isLeader: false, leaderTabId: undefined });
    await act(() => tabs.advance(1000));
    expect(result.current).toEqual({ isLeader: true, leaderTabId: 'tab-a' });
    const b = tabs.open('tab-b', 'shell');
    const ordersInB = forApp(b.bus, 'orders');
    const inB = renderHook(() => useLeader({ bus: ordersInB }));
    await act(() => tabs.advance(1000));
    expect(inB.result.current).toEqual({ isLeader: false, leaderTabId: 'tab-a' });
    unmount();
    inB.unmount();
  });

  it('a bus without cross-tab is alone, so its tab leads; its access ends with the component', () => {
    const bus = testBus();
    const { result, unmount } = renderHook(() => useLeader(), { wrapper: providerWith({ bus }) });
    expect(result.current).toEqual({ isLeader: true, leaderTabId: bus.tabId });
    expect(bus.stats().adapters).toEqual(['useLeader()']);
    unmount();
    expect(bus.stats().adapters).toEqual([]);
  });

  it('names the fix when there is nothing to ask', () => {
    const error = renderError(() => renderHook(() => useLeader()));
    expect(error.message).toBe(
      'useLeader(): nothing to ask about the tabs; render the component inside <SwitchboardProvider bus={bus}>, or pass ' +
        '{ crossTab } (what attachCrossTab() returns) or { bus } to useLeader().',
    );
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
    const standIn = { app: 'stand-in', tabId: 'tab', subscribe: () => () => {}, publish: () => undefined } as never;
    const fromStandIn = renderError(() => renderHook(() => useLeader({ bus: standIn })));
    expect(fromStandIn.message).toMatch(/^useLeader\(\): nothing to ask about the tabs;/);
    expect(isSwitchboardError(fromStandIn.cause, 'INVALID_OPTION')).toBe(true);
  });
});

describe('usePresence', () => {
  it('lists the live tabs, this one first, as tabs join and leave', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'orders');
    const { result } = renderHook(() => usePresence(), { wrapper: providerWith({ bus: a.bus, crossTab: a.crossTab }) });
    expect(result.current.map((tab) => tab.tabId)).toEqual(['tab-a']);
    const b = tabs.open('tab-b', 'inventory');
    await act(() => tabs.advance(1000));
    expect(result.current.map((tab) => [tab.tabId, tab.apps])).toEqual([
      ['tab-a', ['orders']],
      ['tab-b', ['inventory']],
    ]);
    expect(result.current.find((tab) => tab.leader)?.tabId).toBe('tab-a');
    await act(async () => {
      b.close();
      await tabs.advance(250);
    });
    expect(result.current.map((tab) => tab.tabId)).toEqual(['tab-a']);
  });

  it('keeps the same list between changes (heartbeats alone do not re-render)', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    tabs.open('tab-b');
    const { result } = renderHook(() => usePresence({ crossTab: a.crossTab }));
    await act(() => tabs.advance(2000));
    const list = result.current;
    await act(() => tabs.advance(3000));
    expect(result.current).toBe(list);
  });

  it('lists only its own tab on a bus without cross-tab', () => {
    const bus = testBus();
    const { result } = renderHook(() => usePresence({ bus }));
    expect(result.current.map((tab) => [tab.tabId, tab.apps, tab.leader])).toEqual([[bus.tabId, [bus.app], true]]);
  });

  it('follows the tabs through a per-app handle', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'shell');
    const orders = forApp(a.bus, 'orders');
    const { result } = renderHook(() => usePresence(), { wrapper: providerWith({ bus: orders }) });
    tabs.open('tab-b', 'inventory');
    await act(() => tabs.advance(1000));
    expect(result.current.map((tab) => tab.tabId)).toEqual(['tab-a', 'tab-b']);
  });

  it('stops listening on unmount', () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    const listening = countListeners(a.crossTab, 'onChange');
    const { unmount } = renderHook(() => usePresence({ crossTab: a.crossTab }));
    expect(listening()).toBe(1);
    unmount();
    expect(listening()).toBe(0);
  });
});
