import type { PubSubBus } from '@switchboard/bus';
import type { CrossTab } from '@switchboard/cross-tab';
import { el } from '../dom.ts';
import { shortTab } from './format.ts';
import type { MountedApps } from '../mounted-apps.ts';

/** The inspector's list of live tabs, leader marked, with the apps each one shows. */
export interface TabsView {
  readonly element: HTMLElement;
  dispose(): void;
}

/** Live tabs from cross-tab presence; redrawn on every presence change and app change. */
export function createTabsView(bus: PubSubBus, crossTab: CrossTab, mounted: MountedApps): TabsView {
  const list = el('ul', { class: 'tabs-list', 'data-testid': 'tabs-list' });
  const element = el('section', { class: 'inspector-section' }, el('h3', {}, 'Tabs'), list);

  function render(): void {
    list.replaceChildren(
      ...crossTab.tabs().map((tab) => {
        const apps = mounted.of(tab.tabId).map((name) => name.replace('@switchboard/mfe-', ''));
        return el(
          'li',
          {
            class: tab.leader ? 'leader' : undefined,
            'data-testid': 'tab-row',
            'data-tab': tab.tabId,
            'data-leader': String(tab.leader),
          },
          el('span', { class: 'tab-id', title: tab.tabId }, shortTab(tab.tabId)),
          tab.tabId === bus.tabId ? el('span', { class: 'pill' }, 'this tab') : null,
          tab.leader ? el('span', { class: 'pill leader-pill' }, '★ leader') : null,
          el('span', { class: 'muted' }, apps.length > 0 ? apps.join(', ') : '—'),
        );
      }),
    );
  }

  const offPresence = crossTab.onChange(render);
  const offMounted = mounted.onChange(render);
  render();
  return {
    element,
    dispose() {
      offPresence();
      offMounted();
    },
  };
}
