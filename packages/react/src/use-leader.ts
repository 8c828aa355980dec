import { useSyncExternalStore } from 'react';
import { type CrossTabSource, crossTabOf } from './cross-tab-source.ts';
import { missingCrossTab } from './errors.ts';
import { type Switchboard, useSwitchboard } from './switchboard-provider.ts';
import { useKept } from './use-kept.ts';

/** Who leads the tabs of the origin, as this tab knows it. */
export interface LeaderState {
  /** This tab is the leader. False until leadership is decided (a moment after the bus starts). */
  readonly isLeader: boolean;
  /** The leader's tab id, undefined until known and in the gap after a leader left. */
  readonly leaderTabId: string | undefined;
}

/** Options of {@link useLeader} and `usePresence`. */
export interface UseCrossTabOptions {
  /**
   * What to ask: the `CrossTab` of `attachCrossTab()`.
   * @default the provider's `crossTab`, else its bus's `crossTab` (`createCrossTabPubSub()`)
   */
  crossTab?: CrossTabSource | undefined;
}

const UNKNOWN: LeaderState = Object.freeze({ isLeader: false, leaderTabId: undefined });
const serverSnapshot = (): LeaderState => UNKNOWN;

/** The cross-tab a hook asks; throws naming `fn` when there is none (read on the client only). */
export function resolveCrossTab(fn: string, given: CrossTabSource | undefined, context: Switchboard | null) {
  return (): CrossTabSource => {
    const crossTab = given ?? context?.crossTab ?? crossTabOf(context?.bus);
    if (crossTab === undefined) throw missingCrossTab(fn);
    return crossTab;
  };
}

function leaderStore(crossTab: () => CrossTabSource) {
  let state = UNKNOWN;
  return {
    subscribe: (onChange: () => void) => crossTab().onLeaderChange(onChange),
    getSnapshot(): LeaderState {
      const source = crossTab();
      const isLeader = source.isLeader();
      const leaderTabId = source.leaderTabId();
      if (state.isLeader !== isLeader || state.leaderTabId !== leaderTabId) state = { isLeader, leaderTabId };
      return state;
    },
  };
}

/**
 * Whether this tab leads the tabs of the origin, updated when leadership moves. Leadership is
 * decided a moment after the bus starts, so the first render says `isLeader: false`; start
 * leader-only work in an effect that depends on `isLeader`. Server rendering returns
 * `{ isLeader: false, leaderTabId: undefined }`.
 *
 * @example
 * import { useLeader } from '@switchboard/react';
 * function Poller() {
 *   const { isLeader } = useLeader();
 *   useEffect(() => (isLeader ? startPolling() : undefined), [isLeader]);
 *   return isLeader ? <small>this tab polls</small> : null;
 * }
 */
export function useLeader(options: UseCrossTabOptions = {}): LeaderState {
  const context = useSwitchboard();
  const given = options.crossTab;
  const store = useKept(() => leaderStore(resolveCrossTab('useLeader', given, context)), [given, context]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}
