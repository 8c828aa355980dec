import { el } from '../dom.ts';
import type { MountedApps } from '../mounted-apps.ts';
import type { ShellRuntime } from '../runtime.ts';
import { createCircuitsView } from './circuits-view.ts';
import { createDenialsView } from './denials-view.ts';
import { createHistoryBrowser } from './history-browser.ts';
import { createLiveLog } from './live-log.ts';
import { createSagasView } from './sagas-view.ts';
import { createStoresView } from './stores-view.ts';
import { createTabsView } from './tabs-view.ts';

/** The inspector panel: what crosses between MFEs and tabs, as this tab sees it. */
export interface Inspector {
  open(): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
  /** Called with the new state whenever the panel opens or closes. */
  onToggle(listener: (open: boolean) => void): () => void;
  dispose(): void;
}

// Per tab, so a reload keeps the panel open but a new tab starts without it.
const OPEN_KEY = 'switchboard-demo.inspector-open';

/**
 * Builds the inspector into `panel`: tabs (leader marked), circuits, sagas and the calls the
 * apps' manifests refused at the top; live
 * messages with a topic filter and the history browser below. It listens from the start, so
 * opening it shows what already happened.
 */
export function createInspector(runtime: ShellRuntime, panel: HTMLElement, mounted: MountedApps): Inspector {
  const { bus, crossTab, history } = runtime;
  const listeners = new Set<(open: boolean) => void>();
  let opened = false;
  const liveTab = el(
    'button',
    { type: 'button', role: 'tab', 'aria-selected': 'true', 'data-testid': 'inspector-live-tab' },
    'Live messages',
  );
  const historyTab = el(
    'button',
    { type: 'button', role: 'tab', 'aria-selected': 'false', 'data-testid': 'inspector-history-tab' },
    'History',
  );
  const closeButton = el('button', { type: 'button', class: 'close', 'aria-label': 'Close inspector' }, '×');
  const live = createLiveLog(bus, () => opened && liveTab.getAttribute('aria-selected') === 'true');
  const historyBrowser = createHistoryBrowser(history, bus.tabId);
  const tabs = createTabsView(bus, crossTab, mounted);
  const circuits = createCircuitsView(bus);
  const sagas = createSagasView(bus, history);
  const stores = createStoresView(bus, runtime.stores, runtime.storeStorage);
  const denials = createDenialsView(bus);

  historyBrowser.element.hidden = true;
  panel.replaceChildren(
    el(
      'div',
      { class: 'inspector-head' },
      el('h2', {}, 'Inspector'),
      el('span', { class: 'muted' }, `tab ${bus.tabId}`),
      closeButton,
    ),
    el(
      'div',
      { class: 'inspector-overview' },
      tabs.element,
      circuits.element,
      sagas.element,
      denials.element,
      stores.element,
    ),
    el('div', { class: 'inspector-tabs', role: 'tablist' }, liveTab, historyTab),
    live.element,
    historyBrowser.element,
  );

  function select(showHistory: boolean): void {
    liveTab.setAttribute('aria-selected', String(!showHistory));
    historyTab.setAttribute('aria-selected', String(showHistory));
    live.element.hidden = showHistory;
    historyBrowser.element.hidden = !showHistory;
    if (showHistory) void historyBrowser.refresh();
    else live.refresh();
  }

  function setOpen(open: boolean): void {
    opened = open;
    panel.hidden = !open;
    sessionStorage.setItem(OPEN_KEY, open ? '1' : '0');
    if (open) live.refresh();
    for (const listener of listeners) listener(open);
  }

  liveTab.addEventListener('click', () => select(false));
  historyTab.addEventListener('click', () => select(true));
  closeButton.addEventListener('click', () => setOpen(false));
  if (sessionStorage.getItem(OPEN_KEY) === '1') setOpen(true);

  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!opened),
    isOpen: () => opened,
    onToggle(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      live.dispose();
      tabs.dispose();
      circuits.dispose();
      sagas.dispose();
      denials.dispose();
      stores.dispose();
    },
  };
}
