import type { Message, PayloadOf } from '@switchboard/bus';
import {
  InventoryTopics,
  type InventoryOutage,
  type InventorySummary,
  type OrderLine,
  type StockItem,
  type StockReleased,
  type StockReserved,
  type DemoTopics,
} from '@switchboard/demo-contract';

/** A message of the inventory events (`inventory.#`). */
type InventoryMessage = Message<PayloadOf<DemoTopics, 'inventory.#'>>;

/** A product and the stock it starts with. */
export interface Product {
  readonly sku: string;
  readonly name: string;
  /** In cents. */
  readonly price: number;
  readonly initial: number;
}

/** The demo's products. Stock is `initial` minus what open reservations hold. */
const CATALOGUE: readonly Product[] = [
  { sku: 'widget', name: 'Widget', price: 1250, initial: 10 },
  { sku: 'gadget', name: 'Gadget', price: 4999, initial: 5 },
  { sku: 'gizmo', name: 'Gizmo', price: 799, initial: 8 },
];

/** One line of the activity list. */
export interface StockActivity {
  readonly ts: number;
  readonly text: string;
}

/**
 * The inventory read model, rebuilt from `inventory.*` events. Every inventory instance, in
 * any tab, applies the same events, so they all agree on the stock.
 */
export interface StockBook {
  /** Applies one event; returns true when something changed. Idempotent (keyed by reservation). */
  apply(message: InventoryMessage): boolean;
  items(): StockItem[];
  /** True while the simulated outage is on. */
  failing(): boolean;
  /** Why `lines` cannot be reserved, or undefined when they can. */
  shortage(lines: readonly OrderLine[]): string | undefined;
  /** Whether a reservation is held (reserved and not released). */
  holds(reservationId: string): boolean;
  /** The lines of a known reservation. */
  lines(reservationId: string): readonly OrderLine[] | undefined;
  /** Latest first, bounded. */
  activity(): readonly StockActivity[];
  summary(): InventorySummary;
}

const ACTIVITY_LIMIT = 12;
const LOW_STOCK = 3;

/** Creates a stock book at the catalogue's initial stock. */
export function createStockBook(catalogue: readonly Product[] = CATALOGUE): StockBook {
  const reservations = new Map<string, { lines: readonly OrderLine[]; released: boolean }>();
  let outage: { failing: boolean; ts: number } = { failing: false, ts: 0 };
  let activity: StockActivity[] = [];

  function held(sku: string): number {
    let count = 0;
    for (const reservation of reservations.values()) {
      if (reservation.released) continue;
      for (const line of reservation.lines) if (line.sku === sku) count += line.quantity;
    }
    return count;
  }

  function items(): StockItem[] {
    return catalogue.map(({ sku, name, price, initial }) => ({ sku, name, price, available: initial - held(sku) }));
  }

  function log(ts: number, text: string): void {
    activity = [{ ts, text }, ...activity].sort((a, b) => b.ts - a.ts).slice(0, ACTIVITY_LIMIT);
  }

  function describe(lines: readonly OrderLine[]): string {
    return lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ');
  }

  return {
    apply(message) {
      switch (message.topic) {
        case InventoryTopics.reserved: {
          const { reservationId, lines, orderId } = message.payload as StockReserved;
          if (reservations.has(reservationId)) return false;
          reservations.set(reservationId, { lines, released: false });
          log(message.ts, `reserved ${describe(lines)} for ${orderId}`);
          return true;
        }
        case InventoryTopics.released: {
          const { reservationId, lines } = message.payload as StockReleased;
          const reservation = reservations.get(reservationId);
          if (reservation?.released) return false;
          // A release read before its reservation (history and live overlap) still counts.
          reservations.set(reservationId, { lines, released: true });
          log(message.ts, `released ${describe(lines)} (${reservationId})`);
          return true;
        }
        case InventoryTopics.outage: {
          // Latest switch wins, whatever order history and live deliver them in.
          if (message.ts < outage.ts) return false;
          const { failing } = message.payload as InventoryOutage;
          const changed = failing !== outage.failing;
          outage = { failing, ts: message.ts };
          if (changed) log(message.ts, failing ? 'outage simulated: requests fail' : 'outage over');
          return changed;
        }
        default:
          return false;
      }
    },
    items,
    failing: () => outage.failing,
    shortage(lines) {
      const stock = new Map(items().map((item) => [item.sku, item.available]));
      for (const line of lines) {
        const available = stock.get(line.sku);
        if (available === undefined) return `unknown product '${line.sku}'`;
        if (!Number.isInteger(line.quantity) || line.quantity < 1)
          return `quantity of ${line.sku} must be a whole number of at least 1`;
        if (line.quantity > available) return `only ${available} ${line.sku} left, ${line.quantity} asked`;
      }
      return undefined;
    },
    holds: (reservationId) => reservations.get(reservationId)?.released === false,
    lines: (reservationId) => reservations.get(reservationId)?.lines,
    activity: () => activity,
    summary() {
      const current = items();
      return {
        products: current.length,
        units: current.reduce((sum, item) => sum + item.available, 0),
        lowStock: current.filter((item) => item.available < LOW_STOCK).map((item) => item.sku),
        failing: outage.failing,
      };
    },
  };
}
