/**
 * What `useLeader` and `usePresence` read: the `CrossTab` that `attachCrossTab()` returns (or
 * `bus.crossTab` of `createCrossTabPubSub()`). Declared by shape, so the bindings do not depend
 * on `@switchboard/cross-tab`.
 */

/** One live tab, as `crossTab.tabs()` lists it. */
export interface TabInfo {
  readonly tabId: string;
  /** The apps with a bus attached to cross-tab in that tab. */
  readonly apps: readonly string[];
  /** When the tab was last heard from (ms since the epoch). */
  readonly lastSeen: number;
  /** The tab is the current leader. */
  readonly leader: boolean;
}

/** Leadership and presence of the tab: `CrossTab` from `@switchboard/cross-tab` has this shape. */
export interface CrossTabSource {
  isLeader(): boolean;
  leaderTabId(): string | undefined;
  /** Calls `listener` whenever this tab learns of a new leader; returns its removal. */
  onLeaderChange(listener: () => void): () => void;
  /** Live tabs, this one first. */
  tabs(): readonly TabInfo[];
  /** Calls `listener` with the new list whenever a tab joins, leaves, changes apps or leadership. */
  onChange(listener: (tabs: readonly TabInfo[]) => void): () => void;
}

/** The cross-tab of a bus made by `createCrossTabPubSub()`, if it is one. */
export function crossTabOf(bus: unknown): CrossTabSource | undefined {
  const candidate = (bus as { crossTab?: Partial<CrossTabSource> } | null | undefined)?.crossTab;
  return typeof candidate?.onLeaderChange === 'function' && typeof candidate.tabs === 'function'
    ? (candidate as CrossTabSource)
    : undefined;
}
