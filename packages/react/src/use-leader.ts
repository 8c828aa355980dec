import { useSyncExternalStore } from 'react';
import type { AnyBus } from '@switchboard/bus';
import { type CrossTabSource, crossTabOf, missingCrossTab, type TabsOfBus, tabsOfBus } from '@switchboard/bus/internal';
import { HOW_TO_PROVIDE_BUS } from './errors.ts';
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
   * What to ask: the `CrossTab` of `attachCrossTab()`, or any object of its shape.
   * @default the provider's `crossTab`, else the bus's `crossTab` (`createCrossTabPubSub()`), else
   * the bus's leadership and presence services (a per-app handle)
   */
  crossTab?: CrossTabSource | undefined;
  /** The bus to ask when no `crossTab` is given. @default the nearest `SwitchboardProvider`'s */
  bus?: AnyBus | undefined;
}

/**
 * Where a hook reads the tabs from: a cross-tab it can read at once, or, when only the bus's
 * services can tell (a per-app handle), an access opened while React is subscribed.
 */
export interface TabsReader {
  /** The cross-tab readable now, or undefined until `open()`. Throws when there is nothing to ask. */
  direct(): CrossTabSource | undefined;
  /** The source to listen to while subscribed, and what to release after. */
  open(): TabsOfBus;
}

function keep(source: CrossTabSource): TabsOfBus {
  return { source, release: () => {} };
}

/** The tabs reader of a hook (`fn` names it in errors). Reads nothing until asked: never on the server. */
export function tabsReader(fn: string, options: UseCrossTabOptions, context: Switchboard | null): TabsReader {
  const bus = options.bus ?? context?.bus;
  const given = options.crossTab ?? (options.bus === undefined ? context?.crossTab : undefined) ?? crossTabOf(bus);
  return {
    direct() {
      if (given === undefined && bus === undefined) throw missingCrossTab(fn, HOW_TO_PROVIDE_BUS);
      return given;
    },
    open() {
      if (given !== undefined) return keep(given);
      if (bus === undefined) throw missingCrossTab(fn, HOW_TO_PROVIDE_BUS);
      return tabsOfBus(fn, bus, HOW_TO_PROVIDE_BUS);
    },
  };
}

const UNKNOWN: LeaderState = Object.freeze({ isLeader: false, leaderTabId: undefined });
const serverSnapshot = (): LeaderState => UNKNOWN;

function leaderStore(tabs: TabsReader) {
  let state = UNKNOWN;
  let open: CrossTabSource | undefined;
  const read = (source: CrossTabSource): void => {
    const isLeader = source.isLeader();
    const leaderTabId = source.leaderTabId();
    if (state.isLeader !== isLeader || state.leaderTabId !== leaderTabId) state = { isLeader, leaderTabId };
  };
  return {
    subscribe(onChange: () => void) {
      const { source, release } = tabs.open();
      open = source;
      const off = source.onLeaderChange(onChange);
      return () => {
        off();
        open = undefined;
        release();
      };
    },
    getSnapshot(): LeaderState {
      const source = tabs.direct() ?? open;
      if (source !== undefined) read(source);
      return state;
    },
  };
}

/**
 * Whether this tab leads the tabs of the origin, updated when leadership moves. Leadership is
 * decided a moment after the bus starts, so the first render says `isLeader: false`; start
 * leader-only work in an effect that depends on `isLeader`. A bus without cross-tab is alone, so
 * its tab leads. Server rendering returns `{ isLeader: false, leaderTabId: undefined }`.
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
  const { crossTab, bus } = options;
  const store = useKept(
    () => leaderStore(tabsReader('useLeader', { crossTab, bus }, context)),
    [crossTab, bus, context],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}
