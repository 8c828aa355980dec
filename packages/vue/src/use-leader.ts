import { type Ref, ref } from 'vue';
import { type CrossTabSource, crossTabOf } from './cross-tab-source.ts';
import { missingCrossTab } from './errors.ts';
import { whileActive } from './lifecycle.ts';
import { injectSwitchboard } from './switchboard.ts';

/** Options of {@link useLeader} and `usePresence`. */
export interface UseCrossTabOptions {
  /**
   * What to ask: the `CrossTab` of `attachCrossTab()`.
   * @default the provided `crossTab`, else the provided bus's `crossTab` (`createCrossTabPubSub()`)
   */
  crossTab?: CrossTabSource | undefined;
}

/** Who leads the tabs of the origin, as refs. */
export interface UseLeaderResult {
  /** This tab is the leader. False until leadership is decided (a moment after the bus starts). */
  readonly isLeader: Readonly<Ref<boolean>>;
  /** The leader's tab id, undefined until known and in the gap after a leader left. */
  readonly leaderTabId: Readonly<Ref<string | undefined>>;
}

/** The cross-tab a composable asks, looked up in `setup()`; throws naming `fn` when there is none (on mount). */
export function crossTabFor(fn: string, given: CrossTabSource | undefined): () => CrossTabSource {
  const context = given === undefined ? injectSwitchboard() : null;
  return () => {
    const crossTab = given ?? context?.crossTab ?? crossTabOf(context?.bus);
    if (crossTab === undefined) throw missingCrossTab(fn);
    return crossTab;
  };
}

/**
 * Whether this tab leads the tabs of the origin, as refs updated when leadership moves. Read
 * when the component mounts; server rendering leaves `isLeader` false and `leaderTabId`
 * undefined. Leadership is decided a moment after the bus starts: watch `isLeader` to start
 * leader-only work.
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
  const crossTab = crossTabFor('useLeader', options.crossTab);
  const isLeader = ref(false);
  const leaderTabId = ref<string | undefined>();
  whileActive('useLeader', () => {
    const source = crossTab();
    const read = (): void => {
      isLeader.value = source.isLeader();
      leaderTabId.value = source.leaderTabId();
    };
    read();
    return source.onLeaderChange(read);
  });
  return { isLeader, leaderTabId };
}
