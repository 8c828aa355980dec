import type { Bus } from '@switchboard/bus';
import type { CrossTab } from '@switchboard/cross-tab';
import type { DemoTopics } from '@switchboard/demo-contract';
import { el } from '../dom.ts';
import { shortTab } from './format.ts';
import type { MountedApps } from '../mounted-apps.ts';

/** The inspector's list of live tabs, leader marked, with the apps each one shows. */
export interface TabsView {
  readonly element: HTMLElement;
  dispose(): void;
}

/** Live tabs from cross-tab presence; redrawn on every presence change and app change. */
export function createTabsView(bus: Bus<DemoTopics>, crossTab: CrossTab, mounted: MountedApps): TabsView {
  const list = el('ul', { class: 'tabs-list', 'data-testid': 'tabs-list' });
  const element = el('section', { class: 'inspector-section' }, el('h3', {}, 'Tabs'), list);

  function render(): void {
    list.replaceChildren(
      ...crossTab.tabs().map((tab) => {
        const apps = mounted.of(tab.tabId)?.map((name) => name.replace('@switchboard/mfe-', ''));
        // Spaces between the parts, so the row reads (and copies) as words, not `tc2myjrinventory`.
        const parts = [
          el('span', { class: 'tab-id', title: tab.tabId }, shortTab(tab.tabId)),
          tab.tabId === bus.tabId ? el('span', { class: 'pill' }, 'this tab') : null,
          tab.leader ? el('span', { class: 'pill leader-pill' }, '★ leader') : null,
          el(
            'span',
            { class: 'tab-apps muted', 'data-testid': 'tab-apps' },
            apps === undefined ? 'apps not announced yet' : apps.length > 0 ? apps.join(', ') : 'no app mounted',
          ),
        ].filter((part) => part !== null);
        return el(
          'li',
          {
            class: tab.leader ? 'leader' : undefined,
            'data-testid': 'tab-row',
            'data-tab': tab.tabId,
            'data-leader': String(tab.leader),
          },
          ...parts.flatMap((part, index) => (index === 0 ? [part] : [' ', part])),
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
