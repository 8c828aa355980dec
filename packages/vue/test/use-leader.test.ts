// @vitest-environment happy-dom
import { forApp } from '@switchboard/bus/apps';
import { describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { useLeader, usePresence } from '../src/index.ts';
import { countListeners, testTabs } from '../../react/test/support/tabs.ts';
import { mountWith, testBus } from './support/vue.ts';

describe('useLeader', () => {
  it('follows leadership as it is decided and moves, in refs', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'orders');
    const leaderA = mountWith(
      () => useLeader(),
      { bus: a.bus, crossTab: a.crossTab },
      ({ isLeader }) => (isLeader.value ? 'leads' : 'follows'),
    );
    expect(leaderA.result.isLeader.value).toBe(false);
    await tabs.advance(1000);
    expect(leaderA.result.isLeader.value).toBe(true);
    expect(leaderA.result.leaderTabId.value).toBe('tab-a');
    await nextTick();
    expect(leaderA.wrapper.text()).toBe('leads');

    const b = tabs.open('tab-b', 'orders');
    const leaderB = mountWith(() => useLeader({ crossTab: b.crossTab }), { bus: b.bus });
    await tabs.advance(1000);
    expect(leaderB.result.leaderTabId.value).toBe('tab-a');
    a.close();
    await tabs.advance(1000);
    expect(leaderB.result.isLeader.value).toBe(true);
  });

  it('stops listening on unmount', () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    const listening = countListeners(a.crossTab, 'onLeaderChange');
    const { wrapper } = mountWith(() => useLeader(), { bus: a.bus, crossTab: a.crossTab });
    expect(listening()).toBe(1);
    wrapper.unmount();
    expect(listening()).toBe(0);
  });

  it('runs in an effect scope with the cross-tab given, without a Vue warning', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    const warn = vi.spyOn(console, 'warn');
    const scope = effectScope();
    const { isLeader } = scope.run(() => useLeader({ crossTab: a.crossTab }))!;
    await tabs.advance(1000);
    expect(isLeader.value).toBe(true);
    scope.stop();
    expect(warn).not.toHaveBeenCalled();
  });

  it('asks the bus when it has no crossTab: a per-app handle follows leadership too', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'shell');
    const { result } = mountWith(() => useLeader(), { bus: forApp(a.bus, 'orders') });
    await tabs.advance(1000);
    expect(result.isLeader.value).toBe(true);
    expect(result.leaderTabId.value).toBe('tab-a');
  });

  it('a bus without cross-tab is alone, so its tab leads; its access ends with the component', () => {
    const bus = testBus();
    const { result, wrapper } = mountWith(() => useLeader(), { bus });
    expect([result.isLeader.value, result.leaderTabId.value]).toEqual([true, bus.tabId]);
    expect(bus.stats().adapters).toEqual(['useLeader()']);
    wrapper.unmount();
    expect(bus.stats().adapters).toEqual([]);
  });

  it('names the fix when there is nothing to ask', () => {
    expect(() => mountWith(() => useLeader(), undefined)).toThrow(/^useLeader\(\): nothing to ask about the tabs;/);
  });
});

describe('usePresence', () => {
  it('lists the live tabs, this one first, as tabs join and leave', async () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a', 'orders');
    const { result } = mountWith(() => usePresence(), { bus: a.bus, crossTab: a.crossTab });
    expect(result.value.map((tab) => tab.tabId)).toEqual(['tab-a']);
    const b = tabs.open('tab-b', 'inventory');
    await tabs.advance(1000);
    expect(result.value.map((tab) => [tab.tabId, tab.apps])).toEqual([
      ['tab-a', ['orders']],
      ['tab-b', ['inventory']],
    ]);
    b.close();
    await tabs.advance(250);
    expect(result.value.map((tab) => tab.tabId)).toEqual(['tab-a']);
  });

  it('lists only its own tab on a bus without cross-tab', () => {
    const bus = testBus();
    const { result } = mountWith(() => usePresence(), { bus });
    expect(result.value.map((tab) => [tab.tabId, tab.apps, tab.leader])).toEqual([[bus.tabId, [bus.app], true]]);
  });

  it('stops listening on unmount', () => {
    const tabs = testTabs();
    const a = tabs.open('tab-a');
    const listening = countListeners(a.crossTab, 'onChange');
    const { wrapper } = mountWith(() => usePresence(), { bus: a.bus, crossTab: a.crossTab });
    expect(listening()).toBe(1);
    wrapper.unmount();
    expect(listening()).toBe(0);
  });
});
