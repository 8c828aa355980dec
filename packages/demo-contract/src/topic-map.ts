import type { InventoryOnline, InventoryOutage, StockReleased, StockReserved } from './inventory.ts';
import type { OrderConfirmed, OrderFailed, OrderPlaced } from './orders.ts';

/**
 * Topic -> payload map of the demo's events: `PubSubBus<DemoTopics>` checks what an app
 * publishes and types what it receives.
 */
export interface DemoTopics {
  'inventory.reserved': StockReserved;
  'inventory.released': StockReleased;
  'inventory.outage': InventoryOutage;
  'inventory.online': InventoryOnline;
  'orders.placed': OrderPlaced;
  'orders.confirmed': OrderConfirmed;
  'orders.failed': OrderFailed;
}
