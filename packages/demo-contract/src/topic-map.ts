import type { SagaTopics } from '@switchboard/patterns';
import type { InventoryOnline, InventoryOutage, StockReleased, StockReserved } from './inventory.ts';
import type { OrderConfirmed, OrderFailed, OrderPlaced } from './orders.ts';
import type { AppsMounted, AppsQuery } from './shell.ts';

/**
 * Topic -> payload map of the demo's events, the checkout saga's progress events included:
 * `createPubSub<DemoTopics>()` checks what an app publishes and types what it receives.
 */
export interface DemoTopics extends SagaTopics {
  'inventory.reserved': StockReserved;
  'inventory.released': StockReleased;
  'inventory.outage': InventoryOutage;
  'inventory.online': InventoryOnline;
  'orders.placed': OrderPlaced;
  'orders.confirmed': OrderConfirmed;
  'orders.failed': OrderFailed;
  'shell.apps.mounted': AppsMounted;
  'shell.apps.query': AppsQuery;
}
