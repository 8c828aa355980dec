import type { Bus } from '@switchboard/bus';
import type { DemoTopics } from '@switchboard/demo-contract';
import type { CrossTab } from '@switchboard/cross-tab';

/** Keeps the top bar's badge current: this tab's id, the number of tabs, and who leads. */
export function showTabBadge(badge: HTMLElement, bus: Bus<DemoTopics>, crossTab: CrossTab): () => void {
  const render = (): void => {
    const count = crossTab.tabs().length;
    const leader = crossTab.isLeader();
    badge.textContent = `tab ${bus.tabId.slice(0, 7)} · ${count} tab${count === 1 ? '' : 's'}${leader ? ' · ★ leader' : ''}`;
    badge.title = `This tab: ${bus.tabId}. Leader: ${crossTab.leaderTabId() ?? 'not known yet'}.`;
    badge.dataset.leader = String(leader);
  };
  const offPresence = crossTab.onChange(render);
  const offLeader = bus.subscribe('$sys.leader.changed', render);
  render();
  return () => {
    offPresence();
    offLeader();
  };
}
