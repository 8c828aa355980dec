/**
 * The shell's own events: which applications each tab shows, for the inspector's list of tabs.
 * A shell announces its applications when they change and when another shell asks.
 */
export const ShellTopics = {
  /** A tab's mounted applications changed, or another tab asked. */
  mounted: 'shell.apps.mounted',
  /** A tab that just started asks the others to announce theirs. */
  query: 'shell.apps.query',
} as const;

/** Payload of `shell.apps.mounted`. */
export interface AppsMounted {
  /** single-spa application names, as `getMountedApps()` lists them. */
  readonly apps: readonly string[];
}

/** Payload of `shell.apps.query`: nothing but the question. */
export type AppsQuery = Record<string, never>;
