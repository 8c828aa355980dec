import { defineStore } from '@switchboard/store';

/** The order being put together in the orders form. */
export interface OrderDraft {
  /** The product chosen, '' before the catalogue is known. */
  readonly sku: string;
  readonly quantity: number;
}

/**
 * The stores the demo's MFEs share (an entry of its own, so an app that uses none does not ship
 * `@switchboard/store`). `orders.draft` is owned by orders, which writes it from its form; the
 * inventory app reads it to mark the product being ordered. One state for every tab, kept in
 * IndexedDB: a form filled in one tab shows in every other, and after a reload with every tab
 * closed.
 */
export const orderDraft = /* @__PURE__ */ defineStore({
  name: 'orders.draft',
  owner: 'orders',
  scope: 'origin',
  persist: true,
  initial: { sku: '', quantity: 1 } as OrderDraft,
});
