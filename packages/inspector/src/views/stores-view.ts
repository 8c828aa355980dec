import type { Message } from '@switchboard/bus';
import { el } from '../dom.ts';
import { clockTime, preview, shortTab } from '../format.ts';
import { isMalformed } from '../payload-checks.ts';
import { readStoreOperation, type StoreOperation } from '../store-operations.ts';
import { createSection, type InspectorView } from './section.ts';
import { showStoreAsOf, type StoreTimelineSource } from './store-as-of.ts';

/** The stores view also hands its operations to the session export. */
export interface StoresView extends InspectorView {
  /** The operations seen, oldest first (bounded). */
  operations(): readonly StoreOperation[];
}

interface StoreSummary {
  version: number;
  label: string;
  source: string;
  value: unknown;
  ts: number;
}

const KEPT = 500;
const SHOWN = 12;

/**
 * Shows each store's latest committed version and value, and the recent operations on every
 * store (proposals, commits, rejections, commands, state answers), from the `$sys.store.*`
 * messages the stores of every tab exchange. Needs no store code of its own.
 */
export function createStoresView(
  timelines: StoreTimelineSource | undefined,
  onError: (error: unknown) => void,
): StoresView {
  const stores = new Map<string, StoreSummary>();
  const operations: StoreOperation[] = [];
  const section = createSection('Stores', 'stores-list');
  const recent = el('ul', { class: 'stores-timeline', 'data-testid': 'stores-timeline' });
  const asOf = el('div', { class: 'stores-as-of', 'data-testid': 'stores-as-of' });
  section.element.append(el('h4', {}, 'Operations'), recent, asOf);

  /** The store's name; with a timeline source, a button that shows its past states. */
  function storeName(storeId: string): HTMLElement {
    if (!timelines) return el('b', {}, storeId);
    const button = el(
      'button',
      { type: 'button', class: 'store-name', title: 'State as of an earlier version' },
      storeId,
    );
    button.addEventListener('click', () => void showStoreAsOf(asOf, timelines, storeId, onError));
    return button;
  }

  function render(): void {
    section.list.replaceChildren(
      ...(stores.size === 0
        ? [el('li', { class: 'muted' }, 'No store has changed yet.')]
        : [...stores].map(([storeId, store]) =>
            el(
              'li',
              {
                class: 'store-row',
                'data-testid': `store-${storeId}`,
                'data-store': storeId,
                'data-version': store.version,
              },
              storeName(storeId),
              el('span', { class: 'pill' }, `v${store.version}`),
              el('span', { class: 'muted' }, `${store.label} by ${store.source} `),
              el('span', { class: 'payload', title: preview(store.value, 4000) }, preview(store.value, 80)),
            ),
          )),
    );
    recent.replaceChildren(
      ...operations
        .slice(-SHOWN)
        .reverse()
        .map((op) =>
          el(
            'li',
            { class: 'store-operation', 'data-kind': op.kind, 'data-store': op.storeId },
            el('span', { class: 'muted' }, `${clockTime(op.ts)} `),
            el('span', { class: `pill store-${op.kind}` }, op.kind),
            `${op.storeId}${op.version === undefined ? '' : ` v${op.version}`}${op.label ? ` ${op.label}` : ''}`,
            el('span', { class: 'muted' }, ` (${op.source}, tab ${shortTab(op.tabId)})`),
          ),
        ),
    );
  }

  render();
  return {
    element: section.element,
    malformedCount: section.malformedCount,
    operations: () => operations,
    accept(message: Message) {
      const op = readStoreOperation(message);
      if (op === undefined) return;
      if (isMalformed(op)) return section.reportMalformed(message, op.malformed);
      operations.push(op);
      if (operations.length > KEPT) operations.splice(0, operations.length - KEPT);
      const known = stores.get(op.storeId);
      if (
        (op.kind === 'commit' || op.kind === 'state') &&
        op.version !== undefined &&
        (!known || op.version >= known.version)
      ) {
        stores.set(op.storeId, {
          version: op.version,
          label: op.label ?? 'state',
          source: op.source,
          value: op.value,
          ts: op.ts,
        });
      }
      render();
    },
  };
}
