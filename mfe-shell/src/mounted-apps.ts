import type { PubSubBus } from '@switchboard/bus';
import type { TabJoinedEvent, TabLeftEvent } from '@switchboard/cross-tab';
import { getMountedApps } from 'single-spa';

/** Which MFEs each tab shows: the inspector's tabs view lists them beside each tab. */
export interface MountedApps {
  /** The applications mounted in a tab, as that tab last announced them. */
  of(tabId: string): readonly string[];
  onChange(listener: () => void): () => void;
  dispose(): void;
}

/** The shell's own event: a tab's mounted applications changed. */
const MOUNTED_TOPIC = 'shell.apps.mounted';

interface MountedPayload {
  readonly apps: readonly string[];
}

/**
 * Every shell announces its mounted applications when single-spa changes them and when a tab
 * joins (so newcomers learn what the older tabs show), and listens to the others'.
 */
export function trackMountedApps(bus: PubSubBus): MountedApps {
  const byTab = new Map<string, readonly string[]>();
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  const announce = (): void => void bus.publish(MOUNTED_TOPIC, { apps: getMountedApps() } satisfies MountedPayload);

  const offMounted = bus.subscribe<MountedPayload>(MOUNTED_TOPIC, (message) => {
    byTab.set(message.origin.tabId, message.payload.apps);
    changed();
  });
  const offJoined = bus.subscribe<TabJoinedEvent>('$sys.tab.joined', announce);
  const offLeft = bus.subscribe<TabLeftEvent>('$sys.tab.left', (message) => {
    if (byTab.delete(message.payload.tabId)) changed();
  });
  window.addEventListener('single-spa:app-change', announce);

  return {
    of: (tabId) => byTab.get(tabId) ?? [],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      offMounted();
      offJoined();
      offLeft();
      window.removeEventListener('single-spa:app-change', announce);
    },
  };
}
