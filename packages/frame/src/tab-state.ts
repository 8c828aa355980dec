import type { AdapterLink, Leadership, PubSubBus } from '@switchboard/bus';
import type { PortWriter } from './port-writer.ts';
import type { PortMessage, TabState } from './protocol.ts';

/** The part of cross-tab's `'presence'` service the host reads. */
interface PresenceLike {
  tabs(): readonly TabState[];
  onChange?(listener: () => void): () => void;
}

/**
 * Host side: sends the frame the host tab's leadership and presence now and on every change, so
 * the frame's helpers see the tab they run in (RPC's fail-fast on a departed tab, a leader-only
 * task). Returns the function that stops.
 */
export function shareTabState(bus: PubSubBus, link: AdapterLink, writer: PortWriter): () => void {
  const state = (): Extract<PortMessage, { t: 'state' }> => {
    const leadership = link.lookup<Leadership>('leadership');
    const presence = link.lookup<PresenceLike>('presence');
    return {
      t: 'state',
      leader:
        leadership === undefined
          ? null
          : { isLeader: leadership.isLeader(), leaderTabId: leadership.leaderTabId() ?? null },
      tabs:
        presence === undefined
          ? null
          : presence.tabs().map(({ tabId, apps, lastSeen, leader }) => ({ tabId, apps: [...apps], lastSeen, leader })),
    };
  };
  const send = (): void => writer.write(state());
  send();
  const stopPresence = link.lookup<PresenceLike>('presence')?.onChange?.(send);
  const stopLeader = link.lookup('leadership') === undefined ? undefined : bus.subscribe('$sys.leader.changed', send);
  return () => {
    stopPresence?.();
    stopLeader?.();
  };
}

/**
 * Frame side: provides `'leadership'` and `'presence'` on the frame's bus from what the host
 * sends, as cross-tab does on the host; services the host lacks stay absent here too.
 */
export function mirrorTabState(link: AdapterLink): {
  update(message: Extract<PortMessage, { t: 'state' }>): void;
  withdraw(): void;
} {
  let current: Extract<PortMessage, { t: 'state' }> | undefined;
  const listeners = new Set<(tabs: TabState[]) => void>();
  const withdrawals: Array<() => void> = [];
  let leadershipProvided = false;
  let presenceProvided = false;
  const tabs = (): TabState[] => (current?.tabs ?? []).map((tab) => ({ ...tab, apps: [...tab.apps] }));

  return {
    update(message) {
      current = message;
      if (message.leader !== null && !leadershipProvided) {
        leadershipProvided = true;
        const leadership: Leadership = {
          isLeader: () => current?.leader?.isLeader ?? false,
          leaderTabId: () => current?.leader?.leaderTabId ?? undefined,
        };
        withdrawals.push(link.provide('leadership', leadership));
      }
      if (message.tabs !== null && !presenceProvided) {
        presenceProvided = true;
        withdrawals.push(
          link.provide('presence', {
            tabs,
            onChange(listener: (tabs: TabState[]) => void) {
              listeners.add(listener);
              return () => void listeners.delete(listener);
            },
          }),
        );
      }
      if (message.tabs === null) return;
      const snapshot = tabs();
      for (const listener of [...listeners]) {
        try {
          listener(snapshot);
        } catch (error) {
          link.reportError(error, { kind: 'adapter', adapter: 'frame-port' });
        }
      }
    },
    withdraw() {
      for (const withdraw of withdrawals.splice(0)) withdraw();
      leadershipProvided = false;
      presenceProvided = false;
      listeners.clear();
    },
  };
}
