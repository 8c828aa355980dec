/**
 * What the inventory app promises the others: its RPC methods, the events it publishes and
 * their payloads. Inventory's state is rebuilt from these events, so they are also its storage.
 */

/** One product line of a reservation or an order. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

/** A product as inventory reports it. */
export interface StockItem {
  readonly sku: string;
  readonly name: string;
  /** Price in cents, so totals never suffer floating-point rounding. */
  readonly price: number;
  readonly available: number;
}

/** RPC method names answered by the inventory app (`rpc.request(InventoryMethods.reserve, …)`). */
export const InventoryMethods = {
  /** `ReserveRequest` -> `ReserveResult`; fails when stock is short or inventory is failing. */
  reserve: 'inventory.reserve',
  /** `ReleaseRequest` -> `ReleaseResult`; releasing twice is a no-op, so compensation may retry. */
  release: 'inventory.release',
  /** `StockQuery` -> `StockItem[]`. */
  stock: 'inventory.stock',
} as const;

/**
 * The inventory app's RPC methods with their types: `createRpc<InventoryRpc>(bus)` checks the
 * params and results of every call and handler.
 */
export interface InventoryRpc {
  /** Fails (`InventoryErrors`) when stock is short or inventory is failing. */
  'inventory.reserve'(params: ReserveRequest): ReserveResult;
  /** Releasing twice is a no-op, so a compensation may retry. */
  'inventory.release'(params: ReleaseRequest): ReleaseResult;
  /** The catalogue with what is available now. */
  'inventory.stock'(params: StockQuery): StockItem[];
}

/** Params of `inventory.stock`: nothing to ask for yet. */
export type StockQuery = Record<string, never>;

/** Params of `inventory.reserve`. */
export interface ReserveRequest {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
}

/** Result of `inventory.reserve`. */
export interface ReserveResult {
  readonly reservationId: string;
}

/** Params of `inventory.release`. */
export interface ReleaseRequest {
  readonly reservationId: string;
}

/** Result of `inventory.release`. */
export interface ReleaseResult {
  /** False when the reservation was already released (or never existed). */
  readonly released: boolean;
}

/** Events published by inventory; every inventory instance, in any tab, applies them. */
export const InventoryTopics = {
  reserved: 'inventory.reserved',
  released: 'inventory.released',
  /** The simulated outage switch, shared so that every tab's inventory fails together. */
  outage: 'inventory.outage',
  /** An inventory app started answering (in some tab): callers that found none may ask again. */
  online: 'inventory.online',
} as const;

/** Payload of `inventory.reserved`. */
export interface StockReserved {
  readonly reservationId: string;
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
}

/** Payload of `inventory.released`. */
export interface StockReleased {
  readonly reservationId: string;
  readonly lines: readonly OrderLine[];
}

/** Payload of `inventory.online`. */
export interface InventoryOnline {
  readonly tabId: string;
}

/** Payload of `inventory.outage`. */
export interface InventoryOutage {
  readonly failing: boolean;
}

/**
 * The circuit breaker that guards calls into inventory. Every app and tab that creates it uses
 * these settings: the state is shared, so they must agree on when it opens and when it probes.
 */
export const INVENTORY_CIRCUIT = {
  name: 'inventory',
  /** Consecutive failed calls, counted across tabs. */
  threshold: 3,
  resetTimeoutMs: 15_000,
} as const;

/** Error codes the inventory handlers throw with (`error.code`), read from `RemoteError.remote.code`. */
export const InventoryErrors = {
  /** The simulated outage is on: a failure of the service, which the circuit breaker counts. */
  unavailable: 'INVENTORY_UNAVAILABLE',
  /** Not enough stock: an answer, not a failure; callers must not count it against the circuit. */
  outOfStock: 'OUT_OF_STOCK',
} as const;
