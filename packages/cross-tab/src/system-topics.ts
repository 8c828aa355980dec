import type { LeaveReason } from './presence.ts';

/**
 * Published when another tab is first heard from (not for this tab itself).
 *
 * @example
 * import { TAB_JOINED, type TabJoinedEvent } from '@switchboard/cross-tab';
 * bus.subscribe<TabJoinedEvent>(TAB_JOINED, (m) => console.log(m.payload.tabId, m.payload.apps));
 */
export const TAB_JOINED = '$sys.tab.joined';
/** Published when the last bus of another tab said goodbye or went silent. */
export const TAB_LEFT = '$sys.tab.left';
/** Published when this tab learns of a new leader (also the first one it learns of). */
export const LEADER_CHANGED = '$sys.leader.changed';

/** Payload of `$sys.tab.joined`. */
export interface TabJoinedEvent {
  readonly tabId: string;
  readonly apps: string[];
}

/** Payload of `$sys.tab.left`. */
export interface TabLeftEvent {
  readonly tabId: string;
  readonly reason: LeaveReason;
}

/** Payload of `$sys.leader.changed`. */
export interface LeaderChangedEvent {
  /** The new leader, or undefined while none is known (the old one left, no one took over yet). */
  readonly leaderTabId: string | undefined;
  readonly previousLeaderTabId: string | undefined;
  /** This tab is the new leader. */
  readonly isLeader: boolean;
}

/**
 * The `$sys.` topics cross-tab publishes, as a topic map. Each tab derives them itself, so they
 * are delivered in the tab only and never sent to the others.
 *
 * @example
 * import type { CrossTabSystemTopics } from '@switchboard/cross-tab';
 * bus.subscribe<CrossTabSystemTopics['$sys.tab.left']>('$sys.tab.left', (m) => drop(m.payload.tabId));
 */
export interface CrossTabSystemTopics {
  '$sys.tab.joined': TabJoinedEvent;
  '$sys.tab.left': TabLeftEvent;
  '$sys.leader.changed': LeaderChangedEvent;
}
