import type { SagaTopics } from '@switchboard/patterns';
import type { InventoryOnline, InventoryOutage, StockReleased, StockReserved } from './inventory.ts';
import type { OrderConfirmed, OrderFailed, OrderPlaced } from './orders.ts';
import type { AppsMounted, AppsQuery } from './shell.ts';

/**
 * The apps' own events, the facts of the demo's domain: each has a payload schema
 * (`@switchboard/demo-contract/schemas`) and a place in the manifest.
 */
export interface DomainTopics {
  'inventory.reserved': StockReserved;
  'inventory.released': StockReleased;
  'inventory.outage': InventoryOutage;
  'inventory.online': InventoryOnline;
  'orders.placed': OrderPlaced;
  'orders.confirmed': OrderConfirmed;
  'orders.failed': OrderFailed;
}

/**
 * Topic -> payload map of everything the demo publishes on its buses: the domain's events, the
 * checkout saga's progress events and the shell's own. `createPubSub<DemoTopics>()` checks what
 * an app publishes and types what it receives.
 */
export interface DemoTopics extends DomainTopics, SagaTopics {
  'shell.apps.mounted': AppsMounted;
  'shell.apps.query': AppsQuery;
}
