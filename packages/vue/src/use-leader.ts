import { type Ref, ref } from 'vue';
import type { AnyBus } from '@switchboard/bus';
import { type CrossTabSource, crossTabOf, missingCrossTab, type TabsOfBus, tabsOfBus } from '@switchboard/bus/internal';
import { HOW_TO_PROVIDE_BUS } from './errors.ts';
import { whileActive } from './lifecycle.ts';
import { injectSwitchboard } from './switchboard.ts';

/** Options of {@link useLeader} and `usePresence`. */
export interface UseCrossTabOptions {
  /**
   * What to ask: the `CrossTab` of `attachCrossTab()`, or any object of its shape.
   * @default the provided `crossTab`, else the bus's `crossTab` (`createCrossTabPubSub()`), else
   * the bus's leadership and presence services (a per-app handle)
   */
  crossTab?: CrossTabSource | undefined;
  /** The bus to ask when no `crossTab` is given. @default the provided one */
  bus?: AnyBus | undefined;
}

/** Who leads the tabs of the origin, as refs. */
export interface UseLeaderResult {
  /** This tab is the leader. False until leadership is decided (a moment after the bus starts). */
  readonly isLeader: Readonly<Ref<boolean>>;
  /** The leader's tab id, undefined until known and in the gap after a leader left. */
  readonly leaderTabId: Readonly<Ref<string | undefined>>;
}

/**
 * What a composable reads the tabs from, looked up in `setup()` and opened once it runs (on
 * mount): the cross-tab given or provided, else the bus's services through an access released
 * when it stops. Throws naming `fn` when there is nothing to ask.
 */
export function tabsFor(fn: string, options: UseCrossTabOptions): () => TabsOfBus {
  const context = options.crossTab === undefined && options.bus === undefined ? injectSwitchboard() : null;
  const bus = options.bus ?? context?.bus;
  const given = options.crossTab ?? context?.crossTab ?? crossTabOf(bus);
  return () => {
    if (given !== undefined) return { source: given, release: () => {} };
    if (bus === undefined) throw missingCrossTab(fn, HOW_TO_PROVIDE_BUS);
    return tabsOfBus(fn, bus, HOW_TO_PROVIDE_BUS);
  };
}

/**
 * Whether this tab leads the tabs of the origin, as refs updated when leadership moves. Read
 * when the component mounts; server rendering leaves `isLeader` false and `leaderTabId`
 * undefined. Leadership is decided a moment after the bus starts: watch `isLeader` to start
 * leader-only work. A bus without cross-tab is alone, so its tab leads.
 *
 * @example
 * import { useLeader } from '@switchboard/vue';
 * import { defineComponent, h, watch } from 'vue';
 * export const Poller = defineComponent(() => {
 *   const { isLeader } = useLeader();
 *   watch(isLeader, (leads) => console.log(leads ? 'this tab polls' : 'another tab polls'));
 *   return () => (isLeader.value ? h('small', 'this tab polls') : null);
 * });
 */
export function useLeader(options: UseCrossTabOptions = {}): UseLeaderResult {
  const open = tabsFor('useLeader', options);
  const isLeader = ref(false);
  const leaderTabId = ref<string | undefined>();
  whileActive('useLeader', () => {
    const { source, release } = open();
    const read = (): void => {
      isLeader.value = source.isLeader();
      leaderTabId.value = source.leaderTabId();
    };
    read();
    const off = source.onLeaderChange(read);
    return () => {
      off();
      release();
    };
  });
  return { isLeader, leaderTabId };
}
