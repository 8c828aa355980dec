import type { OrderLine } from './inventory.ts';

/**
 * The orders app's events. Orders keeps no store of its own: its list is rebuilt from these
 * events in history, which is why it survives a reload.
 */
export const OrderTopics = {
  placed: 'orders.placed',
  confirmed: 'orders.confirmed',
  failed: 'orders.failed',
} as const;

/** Payload of `orders.placed`: the checkout saga starts. */
export interface OrderPlaced {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  /** In cents. */
  readonly total: number;
}

/** Payload of `orders.confirmed`: stock reserved and payment taken. */
export interface OrderConfirmed {
  readonly orderId: string;
  readonly reservationId: string;
  readonly paymentId: string;
}

/** Payload of `orders.failed`: the saga stopped and undid what it had done. */
export interface OrderFailed {
  readonly orderId: string;
  /** Human-readable, shown in the orders list. */
  readonly reason: string;
}
