import type { Bus } from '@switchboard/bus';
import type { DemoTopics, OrderLine } from '@switchboard/demo-contract';
import { orderDraft, type OrderDraft } from '@switchboard/demo-contract/stores';
import type { CircuitState } from '@switchboard/patterns';
import type { StoreRegistry } from '@switchboard/store';
import { createSwitchboardPlugin } from '@switchboard/vue';
import { createStoreRegistryPlugin, useStore } from '@switchboard/vue/store';
import { createApp, defineComponent, h, onMounted, ref, type ShallowRef, shallowRef, watch } from 'vue';
import { CHECKOUT_STEPS, type StepStatus } from './checkout-saga.ts';
import type { Catalogue } from './inventory-client.ts';
import { money } from './money.ts';
import type { OrderRecord } from './order-book.ts';

/** What the orders screen shows, besides the form's draft (read from its store). */
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

/** What the screen is given: the app's handle, its stores, and what to run on submit. */
export interface OrdersViewOptions {
  readonly bus: Bus<DemoTopics>;
  readonly stores: StoreRegistry;
  /** Runs when the form is submitted. */
  readonly onOrder: (request: OrderRequest) => void;
}

/** The orders screen. */
export interface OrdersView {
  render(state: OrdersState): void;
  remove(): void;
}

const STEP_ICONS: Record<StepStatus, string> = { waiting: '○', running: '◔', done: '✓', failed: '✗', compensated: '↺' };

/** The banner's text: why checkout is paused, or why the stock shown may be old. */
function bannerText(state: OrdersState, open: boolean): string {
  const { absent, reason, items } = state.catalogue;
  // Only say the stock shown is the last known one when there is one to show.
  const shown = items.length > 0 ? 'showing the last known stock' : 'no stock known yet';
  if (open) return `Inventory circuit ${state.circuit}: checkout is paused in every tab; ${shown}.`;
  if (absent) {
    return `No tab runs the inventory app yet: open Inventory, in this tab or another, to take orders${items.length > 0 ? '; showing the last known stock' : ''}.`;
  }
  return `Inventory did not answer (${reason ?? 'unknown'}); ${shown}.`;
}

function orderRow(order: OrderRecord) {
  return h(
    'tr',
    { key: order.orderId, 'data-testid': 'order-row', 'data-order': order.orderId, 'data-status': order.status },
    [
      h('td', { class: 'id' }, order.orderId),
      h('td', order.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')),
      h('td', { class: 'num' }, money(order.total)),
      h('td', { title: order.reason ?? '' }, [
        h('span', { class: `pill ${order.status}` }, order.status),
        order.reason ? h('small', { class: 'reason' }, ` ${order.reason}`) : null,
      ]),
    ],
  );
}

/** The screen: the form writes the shared draft through `useStore`, the rest shows `state`. */
function ordersScreen(state: Readonly<ShallowRef<OrdersState>>, onOrder: (request: OrderRequest) => void) {
  return defineComponent(() => {
    const { store: draft, state: draftState, loaded } = useStore(orderDraft);
    const product = ref<HTMLSelectElement>();
    const quantity = ref<HTMLInputElement>();
    const paymentFails = ref<HTMLInputElement>();
    const slowPayment = ref<HTMLInputElement>();
    // The draft's product, applied once the catalogue lists it.
    const draftSku = ref('');

    const draftChanged = (): void => {
      const next: OrderDraft = { sku: product.value?.value ?? '', quantity: Number(quantity.value?.value) || 1 };
      // A standalone page runs as another app, which may read the draft but not write it.
      if (draft.writable)
        void draft.set(next).catch((error: unknown) => console.error('[orders] draft not saved:', error));
    };
    // Another tab, or a reload, may have changed the draft: show it.
    const showDraft = (value: OrderDraft): void => {
      draftSku.value = value.sku;
      const select = product.value;
      if (select && value.sku !== '' && [...select.options].some((option) => option.value === value.sku)) {
        select.value = value.sku;
      }
      // Never under the user's cursor: the field being typed in keeps what is typed.
      if (quantity.value && document.activeElement !== quantity.value) quantity.value.value = String(value.quantity);
    };
    onMounted(() => {
      if (quantity.value) quantity.value.value = '1';
    });
    watch([draftState, loaded], () => showDraft(draftState.value), { flush: 'post' });

    const submit = (event: Event): void => {
      event.preventDefault();
      onOrder({
        line: { sku: product.value?.value ?? '', quantity: Number(quantity.value?.value) },
        paymentFails: paymentFails.value?.checked === true,
        slowPayment: slowPayment.value?.checked === true,
      });
    };

    return () => {
      const current = state.value;
      const open = current.circuit !== 'CLOSED';
      const { stale, absent, items } = current.catalogue;
      const selected = draftSku.value || product.value?.value;
      const checkout = current.checkout;
      return h('div', { class: 'mfe mfe-orders', 'data-testid': 'mfe-orders' }, [
        h('header', [
          h('h2', 'Orders'),
          h(
            'span',
            { class: `status ${current.loading ? '' : open ? 'down' : 'up'}` },
            current.loading ? 'loading history…' : open ? 'fallback' : 'ready',
          ),
          h(
            'span',
            { class: 'origin', title: 'This MFE was loaded from its own origin' },
            `from ${new URL(import.meta.url).host}`,
          ),
        ]),
        h(
          'p',
          {
            class: 'banner',
            hidden: !open && !stale,
            'data-testid': 'orders-circuit',
            'data-state': current.circuit,
            'data-absent': String(!open && absent === true),
          },
          bannerText(current, open),
        ),
        h('form', { class: 'order-form', onSubmit: submit }, [
          h('label', [
            'Product ',
            h(
              'select',
              { ref: product, 'data-testid': 'order-product', 'aria-label': 'Product', onChange: draftChanged },
              items.map((item) =>
                h(
                  'option',
                  { key: item.sku, value: item.sku, selected: item.sku === selected },
                  `${item.name} · ${money(item.price)} · ${item.available} left`,
                ),
              ),
            ),
          ]),
          h('label', [
            'Qty ',
            h('input', {
              ref: quantity,
              type: 'number',
              min: 1,
              max: 99,
              'data-testid': 'order-quantity',
              'aria-label': 'Quantity',
              onInput: draftChanged,
            }),
          ]),
          h('label', { class: 'switch' }, [
            h('input', { ref: paymentFails, type: 'checkbox', 'data-testid': 'payment-fails' }),
            ' Payment fails',
          ]),
          h(
            'label',
            {
              class: 'switch',
              title: 'Time to close this tab mid-checkout: the next tab that opens orders releases the stock',
            },
            [h('input', { ref: slowPayment, type: 'checkbox', 'data-testid': 'slow-payment' }), ' Slow payment (4 s)'],
          ),
          h(
            'button',
            {
              type: 'submit',
              'data-testid': 'place-order',
              disabled: current.busy || current.circuit === 'OPEN' || items.length === 0,
            },
            current.busy ? 'Checking out…' : current.circuit === 'OPEN' ? 'Checkout paused' : 'Place order',
          ),
        ]),
        h('div', { class: 'checkout' }, [
          h('h3', 'Checkout saga'),
          h(
            'ol',
            { class: 'progress', 'data-testid': 'saga-progress' },
            CHECKOUT_STEPS.map((name, index) => {
              const step = checkout?.steps[index] ?? 'waiting';
              return h('li', { key: name, class: `step ${step}`, 'data-step': name, 'data-status': step }, [
                h('span', { class: 'icon' }, STEP_ICONS[step]),
                ` ${name}`,
              ]);
            }),
          ),
          h(
            'p',
            { class: 'outcome', 'data-testid': 'checkout-outcome' },
            checkout ? `${checkout.orderId}: ${checkout.outcome ?? 'running…'}` : 'Place an order to run the saga.',
          ),
        ]),
        h('h3', 'Orders'),
        h('table', { class: 'orders' }, [
          h('thead', [
            h('tr', [h('th', 'Order'), h('th', 'Items'), h('th', { class: 'num' }, 'Total'), h('th', 'Status')]),
          ]),
          h(
            'tbody',
            { 'data-testid': 'order-list' },
            current.orders.length === 0
              ? [
                  h('tr', { key: 'empty' }, [
                    h('td', { colspan: 4, class: 'muted' }, current.loading ? 'Reading history…' : 'No orders yet.'),
                  ]),
                ]
              : current.orders.map(orderRow),
          ),
        ]),
      ]);
    };
  });
}

/**
 * Renders the orders screen into `root` with Vue: the bus and the store registry through their
 * plugins, the rest through `render(state)`.
 */
export function createOrdersView(root: HTMLElement, { bus, stores, onOrder }: OrdersViewOptions): OrdersView {
  const state = shallowRef<OrdersState>({
    catalogue: { items: [], stale: false },
    orders: [],
    circuit: 'CLOSED',
    checkout: undefined,
    busy: false,
    loading: true,
  });
  const app = createApp(ordersScreen(state, onOrder))
    .use(createSwitchboardPlugin({ bus }))
    .use(createStoreRegistryPlugin(stores));
  app.mount(root);
  return {
    render(next) {
      state.value = next;
    },
    remove: () => app.unmount(),
  };
}
