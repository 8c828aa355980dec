import { type ShallowRef, shallowRef } from 'vue';
import type { TabInfo } from '@switchboard/bus/internal';
import { whileActive } from './lifecycle.ts';
import { tabsFor, type UseCrossTabOptions } from './use-leader.ts';

/**
 * A ref holding the live tabs of the origin, this one first, each with its apps and whether it
 * leads; updated when a tab joins, leaves or changes apps, or leadership moves. Read when the
 * component mounts; a bus without cross-tab lists its own tab only; empty during server rendering.
 *
 * @example
 * import { usePresence } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * export const OpenTabs = defineComponent(() => {
 *   const tabs = usePresence();
 *   return () => h('p', `${tabs.value.length} tabs open`);
 * });
 */
export function usePresence(options: UseCrossTabOptions = {}): Readonly<ShallowRef<readonly TabInfo[]>> {
  const open = tabsFor('usePresence', options);
  const tabs = shallowRef<readonly TabInfo[]>([]);
  whileActive('usePresence', () => {
    const { source, release } = open();
    tabs.value = source.tabs();
    const off = source.onChange((next) => {
      tabs.value = next;
    });
    return () => {
      off();
      release();
    };
  });
  return tabs;
}
