/**
 * The shell's dashboard gathers one summary from each app with the aggregator; these are the
 * source names each app answers for and what it answers.
 */
export const DashboardSources = {
  orders: 'orders',
  inventory: 'inventory',
} as const;

/**
 * What each source answers, for `createAggregator<DashboardSourceMap>(bus)`: the dashboard reads
 * typed summaries, and each app's responder is checked against its entry.
 */
export interface DashboardSourceMap {
  orders(): OrdersSummary;
  inventory(): InventorySummary;
}

/** The orders app's answer. */
export interface OrdersSummary {
  readonly placed: number;
  readonly confirmed: number;
  readonly failed: number;
  /** Sum of confirmed orders, in cents. */
  readonly revenue: number;
}

/** The inventory app's answer. */
export interface InventorySummary {
  readonly products: number;
  readonly units: number;
  /** SKUs with fewer than 3 units left. */
  readonly lowStock: readonly string[];
  readonly failing: boolean;
}
