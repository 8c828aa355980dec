export { INVENTORY_CIRCUIT, InventoryErrors, InventoryMethods, InventoryTopics } from './inventory.ts';
export { OrderTopics } from './orders.ts';
export { DashboardSources } from './dashboard.ts';

export type {
  InventoryOnline,
  InventoryOutage,
  OrderLine,
  ReleaseRequest,
  ReleaseResult,
  ReserveRequest,
  ReserveResult,
  StockItem,
  StockReleased,
  StockReserved,
} from './inventory.ts';
export type { OrderConfirmed, OrderFailed, OrderPlaced } from './orders.ts';
export type { InventorySummary, OrdersSummary } from './dashboard.ts';
export type { DemoTopics } from './topic-map.ts';
