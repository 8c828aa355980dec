import type { Bus } from '@switchboard/bus';
import {
  DashboardSources,
  INVENTORY_CIRCUIT,
  OrderTopics,
  type DashboardSourceMap,
  type DemoTopics,
  type InventoryRpc,
  type ReplayingHistory,
} from '@switchboard/demo-contract';
import { createAggregator, createCircuitBreaker, createRpc } from '@switchboard/patterns';
import { createIdbSagaLog, isSupported as hasIndexedDb } from '@switchboard/patterns/durable';
import { createStoreRegistry } from '@switchboard/store';
import { CHECKOUT_SAGA, CHECKOUT_STEPS, createCheckoutSaga, type StepStatus } from './checkout-saga.ts';
import { subscribeWithHistory } from './history-reader.ts';
import { createInventoryClient, describeFailure, type Catalogue } from './inventory-client.ts';
import { createOrderBook } from './order-book.ts';
import { createOrdersView, type OrderRequest } from './orders-view.ts';
import css from './orders.css?inline';

/** What the app needs from its host (the shell, or the standalone page). */
export interface OrdersServices {
  readonly bus: Bus<DemoTopics>;
  readonly history?: ReplayingHistory | undefined;
}

/**
 * Mounts the orders app into `root`. Returns the teardown, which removes every subscription,
 * RPC handler, breaker and DOM node this mount created.
 */
export function mountOrdersApp(root: HTMLElement, { bus, history }: OrdersServices): () => void {
  const mount = new AbortController();
  const book = createOrderBook();
  const rpc = createRpc<InventoryRpc>(bus);
  const aggregator = createAggregator<DashboardSourceMap>(bus, { rpc });
  const breaker = createCircuitBreaker(bus, { ...INVENTORY_CIRCUIT });
  const inventory = createInventoryClient(rpc, breaker);
  const style = Object.assign(document.createElement('style'), { textContent: css });
  document.head.append(style);
  let catalogue: Catalogue = { items: [], stale: false };
  let checkout: { orderId: string; steps: StepStatus[]; outcome?: string } | undefined;
  let busy = false;
  let loading = true;

  // The form's draft is a store shared with every tab and the inventory app; it outlives reloads.
  // The screen (Vue, orders-view.ts) reads and writes it through these stores.
  const stores = createStoreRegistry(bus);
  const view = createOrdersView(root, { bus, stores, onOrder: (request) => void placeOrder(request) });
  const render = (): void => {
    if (mount.signal.aborted) return;
    view.render({ catalogue, orders: book.list(), circuit: breaker.state(), checkout, busy, loading });
  };
  // Durable where IndexedDB exists: a checkout cut short by a closed or reloaded tab is
  // compensated by the next tab that mounts orders, so no stock stays reserved for nothing.
  const sagaLog = hasIndexedDb() ? createIdbSagaLog({ dbName: 'switchboard-demo-sagas' }) : undefined;
  const saga = createCheckoutSaga(
    bus,
    inventory,
    (sagaId, step, status) => {
      // A recovered saga of another order runs too: only the checkout on screen is shown.
      if (checkout?.orderId !== sagaId) return;
      checkout.steps[step] = status;
      render();
    },
    sagaLog,
  );
  const refreshCatalogue = coalesce(async () => {
    catalogue = await inventory.catalogue();
    render();
  });

  // The list is rebuilt from the stored orders events, then kept current by live ones: this is
  // why it survives a reload. Orders placed in other tabs appear too.
  void subscribeWithHistory(
    bus,
    history,
    'orders.#',
    (message) => {
      if (book.apply(message) && !loading) render();
    },
    mount.signal,
  ).then(() => {
    loading = false;
    render();
  });
  // Stock moved (in any tab) or the outage switch flipped: ask inventory again.
  bus.subscribe('inventory.#', refreshCatalogue, { signal: mount.signal });
  const offCircuit = breaker.onStateChange((event) => {
    render();
    // HALF_OPEN lets one call through: the refresh is that probe, and closes the circuit if
    // inventory is back.
    if (event.state !== 'OPEN') refreshCatalogue();
  });
  const offRespond = aggregator.respond(DashboardSources.orders, () => book.summary());
  // This tab recovered an interrupted checkout: close its order, which no one else will.
  bus.subscribe(
    'saga.failed',
    (message) => {
      const { name, sagaId, interrupted } = message.payload;
      if (name !== CHECKOUT_SAGA || !interrupted || message.origin.tabId !== bus.tabId) return;
      bus.publish(OrderTopics.failed, {
        orderId: sagaId,
        reason: 'interrupted: its tab closed mid-checkout; stock released',
      });
    },
    { signal: mount.signal },
  );
  refreshCatalogue();
  render();

  async function placeOrder({ line, paymentFails, slowPayment }: OrderRequest): Promise<void> {
    const item = catalogue.items.find((candidate) => candidate.sku === line.sku);
    if (!item || busy) return;
    const orderId = newOrderId();
    const total = item.price * line.quantity;
    busy = true;
    checkout = { orderId, steps: CHECKOUT_STEPS.map(() => 'waiting' as const) };
    render();
    bus.publish(OrderTopics.placed, { orderId, lines: [line], total });
    const result = await saga.execute(
      { orderId, lines: [line], total, paymentFails, slowPayment },
      { sagaId: orderId },
    );
    if (!result.success) {
      const reason = describeFailure(result.error);
      bus.publish(OrderTopics.failed, { orderId, reason });
      const undone = checkout.steps.some((step) => step === 'compensated') ? '; reservation released' : '';
      checkout.outcome = `failed: ${reason}${undone}`;
    } else {
      checkout.outcome = 'confirmed';
    }
    busy = false;
    render();
  }

  return () => {
    mount.abort();
    view.remove();
    stores.dispose();
    offCircuit();
    offRespond();
    saga.dispose();
    sagaLog?.close();
    aggregator.dispose();
    rpc.dispose();
    breaker.dispose();
    style.remove();
  };
}

/** Runs `task` at most once at a time; calls made meanwhile collapse into one more run. */
function coalesce(task: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    task()
      .catch((error: unknown) => {
        console.error('[mfe-orders] catalogue refresh failed:', error);
      })
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}

function newOrderId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return `o-${Array.from(bytes, (byte) => (byte % 36).toString(36)).join('')}`;
}
