import type { Bus } from '@switchboard/bus';
import {
  INVENTORY_CIRCUIT,
  InventoryTopics,
  type DashboardSourceMap,
  type DemoTopics,
  type InventoryRpc,
  type ReplayingHistory,
} from '@switchboard/demo-contract';
import { createAggregator, createCircuitBreaker, createRpc } from '@switchboard/patterns';
import { createStoreRegistry } from '@switchboard/store';
import { subscribeWithHistory } from './history-reader.ts';
import { serveInventory } from './inventory-service.ts';
import { createInventoryView, type InventoryModel, type InventoryState } from './inventory-view.tsx';
import { createStockBook } from './stock-book.ts';
import css from './inventory.css?inline';

/** What the app needs from its host (the shell, or the standalone page). */
export interface InventoryServices {
  readonly bus: Bus<DemoTopics>;
  readonly history?: ReplayingHistory | undefined;
  /**
   * False where the tab's stores cannot be reached: in a frame (stores do not cross a frame's
   * port), the app shows no draft instead of failing to mount.
   * @default true
   */
  readonly stores?: boolean;
}

/**
 * Mounts the inventory app into `root`: the services here, the screen in React
 * (inventory-view.tsx). Returns the teardown, which removes every subscription, RPC handler,
 * breaker and DOM node this mount created.
 */
export function mountInventoryApp(
  root: HTMLElement,
  { bus, history, stores: withStores = true }: InventoryServices,
): () => void {
  const mount = new AbortController();
  const book = createStockBook();
  const rpc = createRpc<InventoryRpc>(bus);
  const aggregator = createAggregator<DashboardSourceMap>(bus, { rpc });
  // Not to make calls: to show the state the callers' circuit is in, shared by every tab.
  const circuit = createCircuitBreaker(bus, { ...INVENTORY_CIRCUIT });
  const style = Object.assign(document.createElement('style'), { textContent: css });
  document.head.append(style);
  let loading = true;
  // The screen reads the orders form's draft (a store owned by orders) through these stores.
  const stores = withStores ? createStoreRegistry(bus) : undefined;

  const snapshot = (): InventoryState => ({
    items: book.items(),
    failing: book.failing(),
    activity: book.activity(),
    circuit: circuit.state(),
    loading,
  });
  let state = snapshot();
  const listeners = new Set<() => void>();
  const model: InventoryModel = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  const render = (): void => {
    state = snapshot();
    for (const listener of listeners) listener();
  };

  // Stock is rebuilt from the stored inventory events, then kept current by live ones.
  const ready = subscribeWithHistory(
    bus,
    history,
    'inventory.#',
    (message) => {
      if (book.apply(message) && !loading) render();
    },
    mount.signal,
  ).then(() => {
    loading = false;
    if (mount.signal.aborted) return;
    render();
    // Callers that found no inventory (orders mounted first, in some tab) ask again now.
    bus.publish(InventoryTopics.online, { tabId: bus.tabId });
  });
  const offCircuit = circuit.onStateChange(render);
  const stopServing = serveInventory(bus, book, rpc, aggregator, ready);
  const unmountView = createInventoryView(root, { bus, stores, model });

  return () => {
    mount.abort();
    unmountView();
    stores?.dispose();
    offCircuit();
    stopServing();
    aggregator.dispose();
    rpc.dispose();
    circuit.dispose();
    style.remove();
  };
}
