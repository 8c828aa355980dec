// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { createCrossTabPubSub } from '@switchboard/cross-tab';
import { createMemoryChannelHub } from '@switchboard/testing';
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useLeader, usePresence } from '../src/index.ts';
import { providerWith, renderError } from './support/react.ts';
import { testTabs } from './support/tabs.ts';

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

  it('names the fix when there is no cross-tab', () => {
    const tabs = testTabs();
    const { bus } = tabs.open('tab-a');
    const error = renderError(() => renderHook(() => useLeader(), { wrapper: providerWith({ bus }) }));
    expect(error.message).toMatch(/^useLeader\(\): no cross-tab to ask; pass what attachCrossTab\(\) returns/);
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
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

  it('stops listening on unmount', () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    let listening = 0;
    const onChange = a.crossTab.onChange;
    a.crossTab.onChange = (listener) => {
      listening++;
      const off = onChange(listener);
      return () => {
        listening--;
        off();
      };
    };
    const { unmount } = renderHook(() => usePresence({ crossTab: a.crossTab }));
    expect(listening).toBe(1);
    unmount();
    expect(listening).toBe(0);
  });
});
