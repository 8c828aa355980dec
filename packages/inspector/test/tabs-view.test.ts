// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createTabsView, type TabsSource, type TabsViewOptions } from '../src/views/tabs-view.ts';
import { malformedBadge, message, rows } from './fixtures.ts';

function source(list: unknown): TabsSource & { change(): void; set(next: unknown): void } {
  let current = list;
  const listeners = new Set<() => void>();
  return {
    tabs: () => current as ReturnType<TabsSource['tabs']>,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    change: () => {
      for (const listener of listeners) listener();
    },
    set(next) {
      current = next;
    },
  };
}

function view(tabs: TabsSource | undefined, onError = vi.fn()) {
  const options: TabsViewOptions = {
    thisTab: 'tab-a',
    tabs,
    appsTopic: 'shell.apps.mounted',
    appLabel: (name) => name.replace('@acme/', ''),
    onError,
  };
  return { view: createTabsView(options), onError };
}

describe('tabs view', () => {
  it('lists the live tabs, leader and this tab marked, with the apps each announced', () => {
    const tabs = source([
      { tabId: 'tab-a', leader: false },
      { tabId: 'tab-b', leader: true },
    ]);
    const { view: tabsView } = view(tabs);
    tabsView.accept(message('shell.apps.mounted', { apps: ['@acme/orders'] }, { tabId: 'tab-b' }));
    const [a, b] = rows(tabsView.element, 'tab-row');
    expect(a?.textContent).toBe('tab-a this tab apps not announced yet');
    expect(b?.getAttribute('data-leader')).toBe('true');
    expect(b?.textContent).toBe('tab-b ★ leader orders');
    tabsView.accept(message('$sys.tab.left', { tabId: 'tab-b', reason: 'closed' }));
    tabs.set([{ tabId: 'tab-a', leader: true }]);
    tabs.change();
    expect(rows(tabsView.element, 'tab-row').map((row) => row.getAttribute('data-tab'))).toEqual(['tab-a']);
  });

  it('lists this tab alone, as leader, without a tabs source', () => {
    const { view: tabsView } = view(undefined);
    expect(rows(tabsView.element, 'tab-row').map((row) => row.getAttribute('data-leader'))).toEqual(['true']);
  });

  it('shows an apps announcement that is not a list of names as malformed', () => {
    const { view: tabsView } = view(source([{ tabId: 'tab-b', leader: true }]));
    tabsView.accept(message('shell.apps.mounted', { apps: ['orders'] }, { tabId: 'tab-b' }));
    expect(() => tabsView.accept(message('shell.apps.mounted', { apps: 5 }, { tabId: 'tab-b' }))).not.toThrow();
    expect(() => tabsView.accept(message('shell.apps.mounted', { apps: [1, 2] }, { tabId: 'tab-b' }))).not.toThrow();
    expect(() => tabsView.accept(message('$sys.tab.left', 'tab-b'))).not.toThrow();
    expect(tabsView.malformedCount()).toBe(3);
    expect(malformedBadge(tabsView.element)).toBe('3 malformed');
    // The last good announcement stays.
    expect(rows(tabsView.element, 'tab-apps')[0]?.textContent).toBe('orders');
  });

  it('reports a tabs source that throws or answers garbage, and skips unreadable tabs', () => {
    const tabs = source('nonsense');
    const { view: tabsView, onError } = view(tabs);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(rows(tabsView.element, 'tab-row')).toEqual([]);
    tabs.set([{ tabId: 7 }, { tabId: 'tab-c', leader: false }]);
    tabs.change();
    expect(rows(tabsView.element, 'tab-row').map((row) => row.getAttribute('data-tab'))).toEqual(['tab-c']);
    tabs.tabs = () => {
      throw new Error('presence gone');
    };
    expect(() => tabs.change()).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(2);
  });
});
