import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { shortTab } from '../format.ts';
import { asRecord, describe, isMalformed, readFields } from '../payload-checks.ts';
import { createSection, type InspectorView } from './section.ts';

/**
 * Where the tabs view learns the live tabs and the leader. `attachCrossTab(bus)` of
 * `@switchboard/cross-tab` returns one.
 */
export interface TabsSource {
  /** The live tabs, this one included. */
  tabs(): ReadonlyArray<{ readonly tabId: string; readonly leader: boolean }>;
  /** Calls `listener` whenever a tab joins or leaves, or the leader changes; returns the way to stop. */
  onChange(listener: () => void): () => void;
}

/** What the tabs view needs. */
export interface TabsViewOptions {
  readonly thisTab: string;
  readonly tabs: TabsSource | undefined;
  /** Topic on which each tab's shell announces its mounted apps as `{ apps: string[] }`. */
  readonly appsTopic: string;
  /** How an app's name reads in the list. */
  readonly appLabel: (name: string) => string;
  /** Reports a tabs source that threw or answered something unreadable. */
  readonly onError: (error: unknown) => void;
}

const TAB = { tabId: 'string', leader: 'boolean' } as const;

/** Live tabs (leader marked) with the apps each one announced; redrawn on every change. */
export function createTabsView(options: TabsViewOptions): InspectorView {
  const { thisTab, appsTopic, appLabel } = options;
  const appsByTab = new Map<string, readonly string[]>();
  const section = createSection('Tabs', 'tabs-list');

  function liveTabs(): ReadonlyArray<{ tabId: string; leader: boolean }> {
    if (!options.tabs) return [{ tabId: thisTab, leader: true }];
    let listed: unknown;
    try {
      listed = options.tabs.tabs();
    } catch (error) {
      options.onError(error);
      return [];
    }
    if (!Array.isArray(listed)) {
      options.onError(new TypeError(`inspector: tabs() returned ${describe(listed)}, expected an array of tabs`));
      return [];
    }
    return listed.flatMap((tab: unknown) => {
      const read = readFields(tab, TAB);
      return isMalformed(read) ? [] : [{ tabId: read.tabId, leader: read.leader }];
    });
  }

  function render(): void {
    section.list.replaceChildren(
      ...liveTabs().map((tab) => {
        const apps = appsByTab.get(tab.tabId)?.map(appLabel);
        // Spaces between the parts, so the row reads (and copies) as words, not `tc2myjrinventory`.
        const parts = [
          el('span', { class: 'tab-id', title: tab.tabId }, shortTab(tab.tabId)),
          tab.tabId === thisTab ? el('span', { class: 'pill' }, 'this tab') : null,
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

  const offChange = options.tabs?.onChange(render);
  render();
  return {
    element: section.element,
    malformedCount: section.malformedCount,
    accept(message: Message) {
      if (message.topic === appsTopic) {
        const read = readFields(message.payload, { apps: 'string[]' });
        if (isMalformed(read)) return section.reportMalformed(message, read.malformed);
        appsByTab.set(message.origin.tabId, [...read.apps]);
      } else if (message.topic === '$sys.tab.left') {
        const tabId = asRecord(message.payload)?.tabId;
        if (typeof tabId !== 'string')
          return section.reportMalformed(message, `tabId: expected string, got ${describe(tabId)}`);
        if (!appsByTab.delete(tabId)) return;
      } else return;
      render();
    },
    dispose: () => offChange?.(),
  };
}
