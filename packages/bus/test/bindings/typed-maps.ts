/**
 * A topic map and an RPC method map for the type tests of the bindings (the shared part here, each
 * binding's typed hooks or composables in its own package).
 */

export interface Order {
  id: string;
  total: number;
}

export type Topics = {
  'orders.placed': Order;
  'orders.cancelled': { id: string; reason: string };
  'stock.a1': { available: number };
  'stock.b2': { available: number };
};

export interface Methods {
  'inventory.reserve'(params: { sku: string; quantity: number }): { reservationId: string };
  'inventory.count'(): Promise<number>;
}
