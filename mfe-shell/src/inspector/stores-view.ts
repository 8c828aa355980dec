import type { Bus, Message } from '@switchboard/bus';
import type { Commit, StoreService } from '@switchboard/store';
import type { IdbStoreStorage, StoreTimeline } from '@switchboard/store/idb';
import { el } from '../dom.ts';
import { clockTime, preview, shortTab } from './format.ts';

/**
 * The inspector's Stores view, self-contained (it needs the tab's bus, its stores and their
 * storage, nothing of the rest of the inspector): each store's current state, a timeline of the
 * operations this tab saw (app, tab, version), and the state of a persisted store as of any
 * version since its oldest kept snapshot.
 */
export interface StoresView {
  readonly element: HTMLElement;
  dispose(): void;
}

const TIMELINE = 30;

/** Follows `$sys.store.commit.#` on the tab's bus; reads the persisted timeline on demand. */
export function createStoresView(bus: Bus, stores: StoreService, storage?: IdbStoreStorage): StoresView {
  const commits: Commit[] = [];
  const table = el('tbody', { 'data-testid': 'stores-list' });
  const timeline = el('ol', { class: 'stores-timeline', 'data-testid': 'stores-timeline' });
  const asOf = el('div', { class: 'stores-as-of', 'data-testid': 'stores-as-of' });
  const element = el(
    'section',
    { class: 'inspector-section', 'data-testid': 'inspector-stores' },
    el('h3', {}, 'Stores'),
    el(
      'table',
      { class: 'stores' },
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, 'Store'), el('th', {}, 'Owner'), el('th', {}, 'Version'), el('th', {}, 'State')),
      ),
      table,
    ),
    el('h4', {}, 'Operations'),
    timeline,
    asOf,
  );
  let scheduled: ReturnType<typeof setTimeout> | undefined;

  function render(): void {
    scheduled = undefined;
    table.replaceChildren(
      ...stores.replicas().map((replica) => {
        const button = el('button', { type: 'button', title: 'State as of an earlier version' }, replica.storeId);
        button.addEventListener('click', () => void showHistory(replica.storeId));
        return el(
          'tr',
          { 'data-testid': `store-${replica.storeId}` },
          el('td', {}, storage && replica.definition.persist ? button : replica.storeId),
          el('td', {}, replica.definition.owner),
          el(
            'td',
            { class: 'num' },
            replica.pendingWrites > 0 ? `${replica.version} (+${replica.pendingWrites})` : replica.version,
          ),
          el('td', { class: 'payload' }, preview(replica.view(), 120)),
        );
      }),
    );
    timeline.replaceChildren(
      ...commits.map((commit) =>
        el(
          'li',
          {},
          el('time', {}, clockTime(commit.ts)),
          ` ${commit.storeId} v${commit.version} ${commit.label} by ${commit.source} `,
          el('span', { class: 'muted', title: commit.tabId }, `@${shortTab(commit.tabId)}`),
        ),
      ),
    );
  }

  function schedule(): void {
    // A burst of commits renders once.
    scheduled ??= setTimeout(render, 100);
  }

  async function showHistory(storeId: string): Promise<void> {
    if (storage === undefined) return;
    let kept: StoreTimeline;
    try {
      kept = await storage.timeline(storeId);
    } catch (error) {
      asOf.replaceChildren(
        el('p', { class: 'muted' }, `${storeId}: its history could not be read (${String(error)}).`),
      );
      return;
    }
    const states = new Map<number, unknown>();
    for (const snapshot of kept.snapshots) states.set(snapshot.version, snapshot.value);
    for (const op of kept.operations) states.set(op.version, op.value);
    const versions = [...states.keys()].sort((a, b) => a - b);
    if (versions.length === 0) {
      asOf.replaceChildren(el('p', { class: 'muted' }, `${storeId}: nothing persisted yet.`));
      return;
    }
    const slider = el('input', {
      type: 'range',
      min: 0,
      max: versions.length - 1,
      value: versions.length - 1,
      'aria-label': `Version of ${storeId}`,
    });
    const shown = el('pre', { class: 'payload' });
    const show = (): void => {
      const version = versions[Number(slider.value)]!;
      const op = kept.operations.find((entry) => entry.version === version);
      shown.textContent = `v${version}${op ? ` · ${clockTime(op.ts)} · ${op.label} by ${op.source}` : ' · snapshot'}\n${preview(states.get(version), 600)}`;
    };
    slider.addEventListener('input', show);
    show();
    asOf.replaceChildren(el('h4', {}, `${storeId} as of`), slider, shown);
  }

  const off = bus.subscribe<Commit>('$sys.store.commit.#', (message: Message<Commit>) => {
    commits.unshift(message.payload);
    if (commits.length > TIMELINE) commits.length = TIMELINE;
    schedule();
  });
  render();
  return {
    element,
    dispose() {
      off();
      clearTimeout(scheduled);
    },
  };
}
