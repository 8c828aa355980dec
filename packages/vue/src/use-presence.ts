import { type ShallowRef, shallowRef } from 'vue';
import type { TabInfo } from './cross-tab-source.ts';
import { whileActive } from './lifecycle.ts';
import { crossTabFor, type UseCrossTabOptions } from './use-leader.ts';

/**
 * A ref holding the live tabs of the origin, this one first, each with its apps and whether it
 * leads; updated when a tab joins, leaves or changes apps, or leadership moves. Read when the
 * component mounts; empty during server rendering.
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
  const crossTab = crossTabFor('usePresence', options.crossTab);
  const tabs = shallowRef<readonly TabInfo[]>([]);
  whileActive('usePresence', () => {
    const source = crossTab();
    tabs.value = source.tabs();
    return source.onChange((next) => {
      tabs.value = next;
    });
  });
  return tabs;
}
