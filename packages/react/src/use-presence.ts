import { useSyncExternalStore } from 'react';
import type { TabInfo } from '@switchboard/bus/internal';
import { useSwitchboard } from './switchboard-provider.ts';
import { useKept } from './use-kept.ts';
import { type TabsReader, tabsReader, type UseCrossTabOptions } from './use-leader.ts';

const NO_TABS: readonly TabInfo[] = Object.freeze([]);
const serverSnapshot = (): readonly TabInfo[] => NO_TABS;

/** The same tabs, apps and leader (`lastSeen` moves with every heartbeat and is not shown as a change). */
function sameTabs(a: readonly TabInfo[], b: readonly TabInfo[]): boolean {
  return (
    a.length === b.length &&
    a.every((tab, i) => {
      const other = b[i]!;
      return (
        tab.tabId === other.tabId &&
        tab.leader === other.leader &&
        tab.apps.length === other.apps.length &&
        tab.apps.every((app, j) => app === other.apps[j])
      );
    })
  );
}

function presenceStore(reader: TabsReader) {
  let tabs: readonly TabInfo[] | undefined;
  return {
    subscribe(onChange: () => void) {
      const { source, release } = reader.open();
      const off = source.onChange((next) => {
        tabs = next;
        onChange();
      });
      // A change between the render and this subscription has no event of its own.
      const now = source.tabs();
      if (tabs === undefined || !sameTabs(tabs, now)) tabs = now;
      return () => {
        off();
        release();
      };
    },
    // Read once, then replaced by each change: tabs() makes a new list on every call.
    getSnapshot: (): readonly TabInfo[] => (tabs ??= reader.direct()?.tabs() ?? NO_TABS),
  };
}

/**
 * The live tabs of the origin, this one first, each with its apps and whether it leads; updated
 * when a tab joins, leaves or changes apps, or leadership moves. A bus without cross-tab lists its
 * own tab only. Server rendering returns an empty list.
 *
 * @example
 * import { usePresence } from '@switchboard/react';
 * function OpenTabs() {
 *   const tabs = usePresence();
 *   return <p>{tabs.length} tabs open, {tabs.filter((tab) => tab.apps.includes('orders')).length} with orders</p>;
 * }
 */
export function usePresence(options: UseCrossTabOptions = {}): readonly TabInfo[] {
  const context = useSwitchboard();
  const { crossTab, bus } = options;
  const store = useKept(
    () => presenceStore(tabsReader('usePresence', { crossTab, bus }, context)),
    [crossTab, bus, context],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}
