import type { Bus } from '@switchboard/bus';
import { InventoryTopics, type DemoTopics, type StockItem } from '@switchboard/demo-contract';
import { orderDraft } from '@switchboard/demo-contract/stores';
import type { CircuitState } from '@switchboard/patterns';
import { SwitchboardProvider, usePublish } from '@switchboard/react';
import { StoreRegistryProvider, useStore, useStoreValue } from '@switchboard/react/store';
import type { StoreRegistry } from '@switchboard/store';
import {
  createContext,
  type ReactElement,
  StrictMode,
  Suspense,
  useContext,
  useEffect,
  useRef,
  useSyncExternalStore,
} from 'react';
import { createRoot } from 'react-dom/client';
import { money } from './money.ts';
import type { StockActivity } from './stock-book.ts';

/** What the inventory screen shows, besides the order form's draft (read from its store). */
export interface InventoryState {
  readonly items: readonly StockItem[];
  readonly failing: boolean;
  readonly activity: readonly StockActivity[];
  /** The state of the callers' circuit to this service, shared by every tab. */
  readonly circuit: CircuitState;
  /** Still reading history: stock may be behind. */
  readonly loading: boolean;
}

/** The app's state as React reads it: a snapshot, and a listener called after each change. */
export interface InventoryModel {
  get(): InventoryState;
  subscribe(listener: () => void): () => void;
}

/** What the screen is given: the app's handle, its store registry and its state. */
export interface InventoryViewOptions {
  readonly bus: Bus<DemoTopics>;
  /** Undefined where the tab's stores cannot be reached (in a frame): no draft is shown. */
  readonly stores: StoreRegistry | undefined;
  readonly model: InventoryModel;
}

const origin = (): string => new URL(import.meta.url).host;

/**
 * The quantity the order form's draft holds for `sku`, or nothing. Each row reads its own slice of
 * the draft (a store owned by orders, read here), so typing a quantity re-renders that row only.
 */
function DraftedCell({ sku }: { sku: string }): ReactElement {
  const draft = useStore(orderDraft);
  const drafted = useStoreValue(draft, (state) => (state.sku === sku ? `${state.quantity}` : ''));
  return (
    <td className="num drafted" data-testid={`drafted-${sku}`}>
      {drafted}
    </td>
  );
}

/** False where the app has no stores (in a frame): the drafted column stays empty. */
const DraftShown = createContext(true);

function StockRow({ item }: { item: StockItem }): ReactElement {
  const empty = <td className="num drafted" data-testid={`drafted-${item.sku}`} />;
  return (
    <tr className={item.available < 3 ? 'low' : undefined}>
      <td>{item.name}</td>
      <td className="sku">{item.sku}</td>
      <td className="num">{money(item.price)}</td>
      <td className="num available" data-testid={`stock-${item.sku}`}>
        {item.available}
      </td>
      {/* Until the draft is loaded (from the other tabs or storage), the cell stays empty. */}
      {useContext(DraftShown) ? (
        <Suspense fallback={empty}>
          <DraftedCell sku={item.sku} />
        </Suspense>
      ) : (
        empty
      )}
    </tr>
  );
}

function Inventory({ model }: { model: InventoryModel }): ReactElement {
  const state = useSyncExternalStore(model.subscribe, model.get);
  const publish = usePublish();
  const outage = useRef<HTMLInputElement>(null);
  // The switch shows what every tab agreed on (the outage message), not only this click.
  useEffect(() => {
    if (outage.current) outage.current.checked = state.failing;
  }, [state.failing]);
  const circuitText =
    state.circuit === 'OPEN'
      ? 'Circuit OPEN: callers in every tab stopped calling inventory and use their fallback.'
      : 'Circuit HALF_OPEN: one probe call will decide whether inventory is back.';
  return (
    <div className="mfe mfe-inventory" data-testid="mfe-inventory">
      <header>
        <h2>Inventory</h2>
        <span className={`status ${state.failing ? 'down' : 'up'}`}>
          {state.loading ? 'loading history…' : state.failing ? 'failing' : 'serving'}
        </span>
        <span className="origin" title="This MFE was loaded from its own origin">
          {`from ${origin()}`}
        </span>
      </header>
      <p
        className="banner"
        hidden={state.circuit === 'CLOSED'}
        data-testid="inventory-circuit"
        data-state={state.circuit}
      >
        {circuitText}
      </p>
      <label className="switch">
        <input
          ref={outage}
          type="checkbox"
          data-testid="inventory-outage"
          onChange={(event) => publish(InventoryTopics.outage, { failing: event.currentTarget.checked })}
        />
        {' Simulate outage: every request to inventory fails'}
      </label>
      <table className="stock">
        <thead>
          <tr>
            <th>Product</th>
            <th>SKU</th>
            <th className="num">Price</th>
            <th className="num">Available</th>
            <th className="num">In the order form</th>
          </tr>
        </thead>
        <tbody>
          {state.items.map((item) => (
            <StockRow key={item.sku} item={item} />
          ))}
        </tbody>
      </table>
      <h3>Activity</h3>
      <ul className="activity">
        {state.activity.length === 0 ? (
          <li className="muted">No reservations yet. Place an order in the orders app (any tab).</li>
        ) : (
          state.activity.map((entry, index) => (
            // Entries are appended and trimmed from the front; an index key re-renders text only.
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id, and nothing in a row keeps state.
            <li key={index}>
              <time>{new Date(entry.ts).toLocaleTimeString()}</time> {entry.text}
            </li>
          ))
        )}
      </ul>
    </div>
  );
}

/**
 * Renders the inventory screen into `root` with React: the bus and the store registry through
 * their providers, the app's state through `model`. Returns the unmount, which leaves no
 * subscription of the screen behind.
 */
export function createInventoryView(root: HTMLElement, { bus, stores, model }: InventoryViewOptions): () => void {
  const reactRoot = createRoot(root);
  reactRoot.render(
    <StrictMode>
      <SwitchboardProvider bus={bus}>
        {stores === undefined ? (
          <DraftShown.Provider value={false}>
            <Inventory model={model} />
          </DraftShown.Provider>
        ) : (
          <StoreRegistryProvider registry={stores}>
            <Inventory model={model} />
          </StoreRegistryProvider>
        )}
      </SwitchboardProvider>
    </StrictMode>,
  );
  return () => reactRoot.unmount();
}
