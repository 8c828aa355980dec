// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { useLeader, usePresence } from '../src/index.ts';
import { testTabs } from '../../react/test/support/tabs.ts';
import { mountWith } from './support/vue.ts';

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
    let listening = 0;
    const onLeaderChange = a.crossTab.onLeaderChange;
    a.crossTab.onLeaderChange = (listener) => {
      listening++;
      const off = onLeaderChange(listener);
      return () => {
        listening--;
        off();
      };
    };
    const { wrapper } = mountWith(() => useLeader(), { bus: a.bus, crossTab: a.crossTab });
    expect(listening).toBe(1);
    wrapper.unmount();
    expect(listening).toBe(0);
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

  it('names the fix when there is no cross-tab', () => {
    const tabs = testTabs();
    const { bus } = tabs.open('tab-a');
    expect(() => mountWith(() => useLeader(), { bus })).toThrow(/^useLeader\(\): no cross-tab to ask;/);
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
    const { wrapper } = mountWith(() => usePresence(), { bus: a.bus, crossTab: a.crossTab });
    expect(listening).toBe(1);
    wrapper.unmount();
    expect(listening).toBe(0);
  });
});
