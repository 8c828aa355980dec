import type { Bus } from '@switchboard/bus';
import {
  DashboardSources,
  InventoryErrors,
  InventoryMethods,
  InventoryTopics,
  type DashboardSourceMap,
  type DemoTopics,
  type InventoryRpc,
} from '@switchboard/demo-contract';
import type { Aggregator, Rpc } from '@switchboard/patterns';
import type { StockBook } from './stock-book.ts';

/** A failure with a `code` the caller reads from `RemoteError.remote.code`. */
class InventoryError extends Error {
  override name = 'InventoryError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Answers the inventory RPC methods and the dashboard's aggregate request from `book`.
 * A reservation changes nothing directly: it publishes `inventory.reserved`, which every
 * inventory instance (this one included) applies, so all tabs keep the same stock.
 * Nothing is answered before `ready` (the book rebuilt from history), so no request is decided
 * on stale stock. Returns a function that stops answering.
 */
export function serveInventory(
  bus: Bus<DemoTopics>,
  book: StockBook,
  rpc: Rpc<InventoryRpc>,
  aggregator: Aggregator<DashboardSourceMap>,
  ready: Promise<void>,
): () => void {
  function assertUp(method: string): void {
    if (book.failing()) {
      throw new InventoryError(
        InventoryErrors.unavailable,
        `${method}: inventory is failing (simulated outage); untick "Simulate outage" in the inventory app.`,
      );
    }
  }

  const stops = [
    rpc.handle(InventoryMethods.reserve, async ({ orderId, lines }) => {
      await ready;
      assertUp(InventoryMethods.reserve);
      const shortage = book.shortage(lines);
      if (shortage) throw new InventoryError(InventoryErrors.outOfStock, `${InventoryMethods.reserve}: ${shortage}.`);
      // Derived from the order, so a retried reservation cannot take stock twice.
      const reservationId = `res-${orderId}`;
      if (!book.holds(reservationId)) {
        bus.publish(InventoryTopics.reserved, { reservationId, orderId, lines });
      }
      return { reservationId };
    }),
    rpc.handle(InventoryMethods.release, async ({ reservationId }) => {
      await ready;
      // Releasing works during an outage too: compensation must be able to give stock back.
      const lines = book.lines(reservationId);
      if (!lines || !book.holds(reservationId)) return { released: false };
      bus.publish(InventoryTopics.released, { reservationId, lines });
      return { released: true };
    }),
    rpc.handle(InventoryMethods.stock, async () => {
      await ready;
      assertUp(InventoryMethods.stock);
      return book.items();
    }),
    aggregator.respond(DashboardSources.inventory, async () => {
      await ready;
      return book.summary();
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
