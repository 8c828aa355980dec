import type { Message, PayloadOf } from '@switchboard/bus';
import {
  OrderTopics,
  type OrderConfirmed,
  type OrderFailed,
  type OrderLine,
  type OrderPlaced,
  type DemoTopics,
  type OrdersSummary,
} from '@switchboard/demo-contract';

/** A message of the orders events (`orders.#`). */
type OrderMessage = Message<PayloadOf<DemoTopics, 'orders.#'>>;

/** One order as the list shows it. */
export interface OrderRecord {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  readonly total: number;
  readonly placedAt: number;
  status: 'pending' | 'confirmed' | 'failed';
  reason?: string;
}

/** The orders read model: state rebuilt from `orders.*` events, from history and live. */
export interface OrderBook {
  /**
   * Applies one event; returns true when the list changed. Idempotent, so a message seen both
   * in history and live (the two overlap on mount) is harmless.
   */
  apply(message: OrderMessage): boolean;
  /** Newest first. */
  list(): OrderRecord[];
  summary(): OrdersSummary;
}

/** Creates an empty order book. */
export function createOrderBook(): OrderBook {
  const orders = new Map<string, OrderRecord>();
  // An outcome may be read before its order (history and live overlap): keep it until then.
  const early = new Map<string, OrderMessage>();

  function apply(message: OrderMessage): boolean {
    switch (message.topic) {
      case OrderTopics.placed: {
        const { orderId, lines, total } = message.payload as OrderPlaced;
        if (orders.has(orderId)) return false;
        orders.set(orderId, { orderId, lines, total, placedAt: message.ts, status: 'pending' });
        const outcome = early.get(orderId);
        early.delete(orderId);
        if (outcome) apply(outcome);
        return true;
      }
      case OrderTopics.confirmed:
      case OrderTopics.failed: {
        const { orderId } = message.payload as OrderConfirmed | OrderFailed;
        const order = orders.get(orderId);
        if (!order) {
          early.set(orderId, message);
          return false;
        }
        if (order.status !== 'pending') return false;
        order.status = message.topic === OrderTopics.confirmed ? 'confirmed' : 'failed';
        if (message.topic === OrderTopics.failed) order.reason = (message.payload as OrderFailed).reason;
        return true;
      }
      default:
        return false;
    }
  }

  return {
    apply,
    list: () => [...orders.values()].sort((a, b) => b.placedAt - a.placedAt),
    summary() {
      let confirmed = 0;
      let failed = 0;
      let revenue = 0;
      for (const order of orders.values()) {
        if (order.status === 'confirmed') {
          confirmed++;
          revenue += order.total;
        } else if (order.status === 'failed') failed++;
      }
      return { placed: orders.size, confirmed, failed, revenue };
    },
  };
}
