import { defineManifest } from '@switchboard/bus/apps';

/**
 * Who may say what in the demo, by app (an entry of its own, so the MFEs that import the
 * contract's names and types do not ship it): the shell gives each application a handle with its
 * entry (`forApp(bus, 'orders', { permissions: demoManifest.orders })`). A publish outside its
 * entry throws `PERMISSION_DENIED` and is shown in the inspector.
 */
export const demoManifest = /* @__PURE__ */ defineManifest({
  orders: {
    // The checkout saga reports its steps as `saga.*` events.
    publish: ['orders.#', 'saga.#'],
    subscribe: ['orders.#', 'inventory.#', 'saga.#'],
    // The dashboard's aggregator asks each app for its summary as the method `aggregate.<app>`.
    rpc: { call: ['inventory.#'], handle: ['aggregate.orders'] },
    // Its own order form's draft, shared with every tab (the inventory app only reads it).
    stores: { write: ['orders.draft'] },
  },
  inventory: {
    publish: ['inventory.#'],
    subscribe: ['inventory.#'],
    rpc: { call: [], handle: ['inventory.#', 'aggregate.inventory'] },
  },
  dashboard: {
    publish: [],
    // It refreshes when a tab comes or goes: the runtime's `$sys.` events only when listed.
    subscribe: ['orders.#', 'inventory.#', '$sys.tab.#'],
    rpc: { call: ['aggregate.#'], handle: [] },
  },
});

/** The apps of the manifest: the `app` of each handle and the `source` of what it publishes. */
export type DemoApp = keyof typeof demoManifest;
