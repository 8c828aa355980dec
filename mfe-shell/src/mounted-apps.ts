import type { Bus } from '@switchboard/bus';
import type { TabJoinedEvent, TabLeftEvent } from '@switchboard/cross-tab';
import { ShellTopics, type DemoTopics } from '@switchboard/demo-contract';
import { getMountedApps } from 'single-spa';

/** Which MFEs each tab shows: the inspector's tabs view lists them beside each tab. */
export interface MountedApps {
  /** The applications mounted in a tab, as that tab last announced them; undefined until it has. */
  of(tabId: string): readonly string[] | undefined;
  onChange(listener: () => void): () => void;
  dispose(): void;
}

/**
 * Every shell announces its mounted applications when single-spa changes them, when a tab joins
 * and when another shell asks, and listens to the others'. A shell asks once it listens: the
 * tabs opened earlier announce when they hear it join, which happens while its history is still
 * opening, before it listens.
 */
export function trackMountedApps(bus: Bus<DemoTopics>): MountedApps {
  const byTab = new Map<string, readonly string[]>();
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  const announce = (): void => void bus.publish(ShellTopics.mounted, { apps: getMountedApps() });

  const offMounted = bus.subscribe(ShellTopics.mounted, (message) => {
    byTab.set(message.origin.tabId, message.payload.apps);
    changed();
  });
  const offQuery = bus.subscribe(ShellTopics.query, (message) => {
    if (message.origin.tabId !== bus.tabId) announce();
  });
  const offJoined = bus.subscribe<TabJoinedEvent>('$sys.tab.joined', announce);
  const offLeft = bus.subscribe<TabLeftEvent>('$sys.tab.left', (message) => {
    if (byTab.delete(message.payload.tabId)) changed();
  });
  window.addEventListener('single-spa:app-change', announce);
  bus.publish(ShellTopics.query, {});

  return {
    of: (tabId) => byTab.get(tabId),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      offMounted();
      offQuery();
      offJoined();
      offLeft();
      window.removeEventListener('single-spa:app-change', announce);
    },
  };
}
