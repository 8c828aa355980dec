import type { OrderLine } from '@switchboard/demo-contract';
import type { OrderDraft } from '@switchboard/demo-contract/stores';
import type { CircuitState } from '@switchboard/patterns';
import { CHECKOUT_STEPS, type StepStatus } from './checkout-saga.ts';
import { el, money } from './dom.ts';
import type { Catalogue } from './inventory-client.ts';
import type { OrderRecord } from './order-book.ts';

/** What the orders screen shows. */
interface OrdersState {
  readonly catalogue: Catalogue;
  readonly orders: readonly OrderRecord[];
  readonly circuit: CircuitState;
  /** The checkout on screen: its order id and each step's status. */
  readonly checkout:
    | { readonly orderId: string; readonly steps: readonly StepStatus[]; readonly outcome?: string }
    | undefined;
  readonly busy: boolean;
  readonly loading: boolean;
}

/** What the user asked for. */
export interface OrderRequest {
  readonly line: OrderLine;
  readonly paymentFails: boolean;
  readonly slowPayment: boolean;
}

/** The orders screen. */
export interface OrdersView {
  render(state: OrdersState): void;
  /** Shows the shared draft (another tab, or a reload, may have changed it). */
  showDraft(draft: OrderDraft): void;
  remove(): void;
}

const STEP_ICONS: Record<StepStatus, string> = { waiting: '○', running: '◔', done: '✓', failed: '✗', compensated: '↺' };

/**
 * Renders into `root`; `onOrder` runs when the form is submitted, `onDraft` when the product or
 * quantity changes.
 */
export function createOrdersView(
  root: HTMLElement,
  onOrder: (request: OrderRequest) => void,
  onDraft: (draft: OrderDraft) => void,
): OrdersView {
  // The draft's product, applied once the catalogue lists it.
  let draftSku = '';
  const product = el('select', { 'data-testid': 'order-product', 'aria-label': 'Product' });
  const quantity = el('input', {
    type: 'number',
    min: 1,
    max: 99,
    value: 1,
    'data-testid': 'order-quantity',
    'aria-label': 'Quantity',
  });
  const paymentFails = el('input', { type: 'checkbox', 'data-testid': 'payment-fails' });
  const slowPayment = el('input', { type: 'checkbox', 'data-testid': 'slow-payment' });
  const submit = el('button', { type: 'submit', 'data-testid': 'place-order' }, 'Place order');
  const banner = el('p', { class: 'banner', hidden: true, 'data-testid': 'orders-circuit' });
  const progress = el('ol', { class: 'progress', 'data-testid': 'saga-progress' });
  const outcome = el('p', { class: 'outcome', 'data-testid': 'checkout-outcome' });
  const rows = el('tbody', { 'data-testid': 'order-list' });
  const status = el('span', { class: 'status' });
  const form = el(
    'form',
    { class: 'order-form' },
    el('label', {}, 'Product ', product),
    el('label', {}, 'Qty ', quantity),
    el('label', { class: 'switch' }, paymentFails, ' Payment fails'),
    el(
      'label',
      {
        class: 'switch',
        title: 'Time to close this tab mid-checkout: the next tab that opens orders releases the stock',
      },
      slowPayment,
      ' Slow payment (4 s)',
    ),
    submit,
  );
  const container = el(
    'div',
    { class: 'mfe mfe-orders', 'data-testid': 'mfe-orders' },
    el(
      'header',
      {},
      el('h2', {}, 'Orders'),
      status,
      el(
        'span',
        { class: 'origin', title: 'This MFE was loaded from its own origin' },
        `from ${new URL(import.meta.url).host}`,
      ),
    ),
    banner,
    form,
    el('div', { class: 'checkout' }, el('h3', {}, 'Checkout saga'), progress, outcome),
    el('h3', {}, 'Orders'),
    el(
      'table',
      { class: 'orders' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Order'),
          el('th', {}, 'Items'),
          el('th', { class: 'num' }, 'Total'),
          el('th', {}, 'Status'),
        ),
      ),
      rows,
    ),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onOrder({
      line: { sku: product.value, quantity: Number(quantity.value) },
      paymentFails: paymentFails.checked,
      slowPayment: slowPayment.checked,
    });
  });
  const draftChanged = (): void => onDraft({ sku: product.value, quantity: Number(quantity.value) || 1 });
  product.addEventListener('change', draftChanged);
  quantity.addEventListener('input', draftChanged);
  root.append(container);

  function renderCatalogue(catalogue: Catalogue): void {
    const selected = draftSku || product.value;
    product.replaceChildren(
      ...catalogue.items.map((item) =>
        el(
          'option',
          { value: item.sku, selected: item.sku === selected },
          `${item.name} · ${money(item.price)} · ${item.available} left`,
        ),
      ),
    );
  }

  return {
    render(state) {
      renderCatalogue(state.catalogue);
      const open = state.circuit !== 'CLOSED';
      const { stale, absent, reason, items } = state.catalogue;
      // Only say the stock shown is the last known one when there is one to show.
      const shown = items.length > 0 ? 'showing the last known stock' : 'no stock known yet';
      banner.hidden = !open && !stale;
      banner.dataset.state = state.circuit;
      banner.dataset.absent = String(!open && absent === true);
      banner.textContent = open
        ? `Inventory circuit ${state.circuit}: checkout is paused in every tab; ${shown}.`
        : absent
          ? `No tab runs the inventory app yet: open Inventory, in this tab or another, to take orders${items.length > 0 ? '; showing the last known stock' : ''}.`
          : `Inventory did not answer (${reason ?? 'unknown'}); ${shown}.`;
      status.className = `status ${state.loading ? '' : open ? 'down' : 'up'}`;
      status.textContent = state.loading ? 'loading history…' : open ? 'fallback' : 'ready';
      submit.disabled = state.busy || state.circuit === 'OPEN' || state.catalogue.items.length === 0;
      submit.textContent = state.busy ? 'Checking out…' : state.circuit === 'OPEN' ? 'Checkout paused' : 'Place order';

      const checkout = state.checkout;
      progress.replaceChildren(
        ...CHECKOUT_STEPS.map((name, index) => {
          const step = checkout?.steps[index] ?? 'waiting';
          return el(
            'li',
            { class: `step ${step}`, 'data-step': name, 'data-status': step },
            el('span', { class: 'icon' }, STEP_ICONS[step]),
            ` ${name}`,
          );
        }),
      );
      outcome.textContent = checkout
        ? `${checkout.orderId}: ${checkout.outcome ?? 'running…'}`
        : 'Place an order to run the saga.';

      rows.replaceChildren(
        ...(state.orders.length === 0
          ? [
              el(
                'tr',
                {},
                el('td', { colspan: 4, class: 'muted' }, state.loading ? 'Reading history…' : 'No orders yet.'),
              ),
            ]
          : state.orders.map((order) =>
              el(
                'tr',
                { 'data-testid': 'order-row', 'data-order': order.orderId, 'data-status': order.status },
                el('td', { class: 'id' }, order.orderId),
                el('td', {}, order.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')),
                el('td', { class: 'num' }, money(order.total)),
                el(
                  'td',
                  { title: order.reason ?? '' },
                  el('span', { class: `pill ${order.status}` }, order.status),
                  order.reason ? el('small', { class: 'reason' }, ` ${order.reason}`) : null,
                ),
              ),
            )),
      );
    },
    showDraft(draft) {
      draftSku = draft.sku;
      if (draft.sku !== '' && [...product.options].some((option) => option.value === draft.sku)) {
        product.value = draft.sku;
      }
      // Never under the user's cursor: the field being typed in keeps what is typed.
      if (document.activeElement !== quantity) quantity.value = String(draft.quantity);
    },
    remove: () => container.remove(),
  };
}
