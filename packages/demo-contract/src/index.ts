export { INVENTORY_CIRCUIT, InventoryErrors, InventoryMethods, InventoryTopics } from './inventory.ts';
export { OrderTopics } from './orders.ts';
export { DashboardSources } from './dashboard.ts';
export { ShellTopics } from './shell.ts';

export type {
  InventoryOnline,
  InventoryOutage,
  InventoryRpc,
  OrderLine,
  ReleaseRequest,
  ReleaseResult,
  ReserveRequest,
  ReserveResult,
  StockItem,
  StockQuery,
  StockReleased,
  StockReserved,
} from './inventory.ts';
export type { OrderConfirmed, OrderFailed, OrderPlaced } from './orders.ts';
export type { DashboardSourceMap, InventorySummary, OrdersSummary } from './dashboard.ts';
export type { AppsMounted, AppsQuery } from './shell.ts';
export type { DemoAppProps, ReplayingHistory } from './app-props.ts';
export type { DemoTopics, DomainTopics } from './topic-map.ts';
