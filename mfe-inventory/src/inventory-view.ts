import type { StockItem } from '@switchboard/demo-contract';
import type { OrderDraft } from '@switchboard/demo-contract/stores';
import type { CircuitState } from '@switchboard/patterns';
import { el, money } from './dom.ts';
import type { StockActivity } from './stock-book.ts';

/** What the inventory screen shows. */
interface InventoryState {
  readonly items: readonly StockItem[];
  readonly failing: boolean;
  readonly activity: readonly StockActivity[];
  /** The state of the callers' circuit to this service, shared by every tab. */
  readonly circuit: CircuitState;
  /** Still reading history: stock may be behind. */
  readonly loading: boolean;
  /** The orders form's draft (a store owned by orders, read here): its product is marked. */
  readonly draft: OrderDraft;
}

/** The inventory screen. */
export interface InventoryView {
  render(state: InventoryState): void;
  remove(): void;
}

/** Renders into `root`; `onOutage` is called when the user flips the outage switch. */
export function createInventoryView(root: HTMLElement, onOutage: (failing: boolean) => void): InventoryView {
  const outage = el('input', { type: 'checkbox', 'data-testid': 'inventory-outage' });
  const banner = el('p', { class: 'banner', hidden: true, 'data-testid': 'inventory-circuit' });
  const rows = el('tbody');
  const activity = el('ul', { class: 'activity' });
  const status = el('span', { class: 'status' });
  const origin = new URL(import.meta.url).host;
  const container = el(
    'div',
    { class: 'mfe mfe-inventory', 'data-testid': 'mfe-inventory' },
    el(
      'header',
      {},
      el('h2', {}, 'Inventory'),
      status,
      el('span', { class: 'origin', title: 'This MFE was loaded from its own origin' }, `from ${origin}`),
    ),
    banner,
    el('label', { class: 'switch' }, outage, ' Simulate outage: every request to inventory fails'),
    el(
      'table',
      { class: 'stock' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Product'),
          el('th', {}, 'SKU'),
          el('th', { class: 'num' }, 'Price'),
          el('th', { class: 'num' }, 'Available'),
          el('th', { class: 'num' }, 'In the order form'),
        ),
      ),
      rows,
    ),
    el('h3', {}, 'Activity'),
    activity,
  );
  outage.addEventListener('change', () => onOutage(outage.checked));
  root.append(container);

  return {
    render(state) {
      outage.checked = state.failing;
      status.className = `status ${state.failing ? 'down' : 'up'}`;
      status.textContent = state.loading ? 'loading history…' : state.failing ? 'failing' : 'serving';
      banner.hidden = state.circuit === 'CLOSED';
      banner.dataset.state = state.circuit;
      banner.textContent =
        state.circuit === 'OPEN'
          ? 'Circuit OPEN: callers in every tab stopped calling inventory and use their fallback.'
          : 'Circuit HALF_OPEN: one probe call will decide whether inventory is back.';
      rows.replaceChildren(
        ...state.items.map((item) =>
          el(
            'tr',
            { class: item.available < 3 ? 'low' : undefined },
            el('td', {}, item.name),
            el('td', { class: 'sku' }, item.sku),
            el('td', { class: 'num' }, money(item.price)),
            el('td', { class: 'num available', 'data-testid': `stock-${item.sku}` }, item.available),
            el(
              'td',
              { class: 'num drafted', 'data-testid': `drafted-${item.sku}` },
              item.sku === state.draft.sku ? `${state.draft.quantity}` : '',
            ),
          ),
        ),
      );
      activity.replaceChildren(
        ...(state.activity.length === 0
          ? [el('li', { class: 'muted' }, 'No reservations yet. Place an order in the orders app (any tab).')]
          : state.activity.map((entry) =>
              el('li', {}, el('time', {}, new Date(entry.ts).toLocaleTimeString()), ' ', entry.text),
            )),
      );
    },
    remove: () => container.remove(),
  };
}
