import type { Leadership } from '../adapter.ts';
import { isSwitchboardError } from '../errors.ts';
import type { AnyBus } from '../pub-sub-bus.ts';
import { systemAccess } from '../system-access.ts';
import type { CrossTabSource, TabInfo } from './cross-tab-source.ts';
import { missingCrossTab } from './binding-errors.ts';

/** What cross-tab provides to a bus under the service name `'presence'`. */
interface PresenceService {
  tabs(): readonly TabInfo[];
  onChange(listener: (tabs: readonly TabInfo[]) => void): () => void;
}

/** Leadership and presence read from a bus, and the access to release when done. */
export interface TabsOfBus {
  readonly source: CrossTabSource;
  release(): void;
}

/**
 * Leadership and presence as the bus's services tell them (`'leadership'` and `'presence'`,
 * provided by cross-tab when it is attached to the tab's bus), through a read-only system access:
 * so a per-app handle, which has no `crossTab`, still answers. Without cross-tab the tab is alone
 * and leads. The access attaches to the bus (a full bus shows it in `stats().adapters`) until
 * released. `fn` names the hook or composable in errors; `howToProvide` is the binding's own
 * words for giving a bus (see {@link missingCrossTab}).
 */
export function tabsOfBus(fn: string, bus: AnyBus, howToProvide: string): TabsOfBus {
  let access: ReturnType<typeof systemAccess>;
  try {
    access = systemAccess(bus, 'presence', { name: `${fn}()` });
  } catch (error) {
    // Not a bus of this library (a stand-in in a test): only a crossTab can answer.
    if (isSwitchboardError(error, 'INVALID_OPTION')) throw missingCrossTab(fn, howToProvide, error);
    throw error;
  }
  const leadership = () => access.lookup<Leadership>('leadership');
  const presence = () => access.lookup<PresenceService>('presence');
  const alone = (): readonly TabInfo[] => [{ tabId: bus.tabId, apps: [bus.app], lastSeen: Date.now(), leader: true }];
  return {
    source: {
      isLeader: () => leadership()?.isLeader() ?? true,
      leaderTabId: () => {
        const service = leadership();
        return service === undefined ? bus.tabId : service.leaderTabId();
      },
      // Presence tells of leadership changes too ($sys.leader.changed is only for subscribers allowed to read it).
      onLeaderChange: (listener) => presence()?.onChange(() => listener()) ?? noChange,
      tabs: () => presence()?.tabs() ?? alone(),
      onChange: (listener) => presence()?.onChange(listener) ?? noChange,
    },
    release: () => access.release(),
  };
}

function noChange(): void {}
