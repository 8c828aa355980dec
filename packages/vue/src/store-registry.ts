import type { StoreRegistry } from '@switchboard/store';
import { type App, hasInjectionContext, type InjectionKey, inject, provide } from 'vue';
import { missingRegistry } from './errors.ts';

// Symbol.for, so a copy of this package bundled into another app's code finds what this one provided.
const STORE_REGISTRY: InjectionKey<StoreRegistry> = Symbol.for('switchboard.vue.stores@1');

/**
 * Gives `useStore` in this component and its descendants the app's store registry. Call it in
 * `setup()`. The registry is only handed on: whoever created it disposes it.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createStoreRegistry } from '@switchboard/store';
 * import { provideStoreRegistry } from '@switchboard/vue/store';
 * import { defineComponent, h } from 'vue';
 * const registry = createStoreRegistry(createPubSub({ app: 'orders' }));
 * export const Root = defineComponent(() => {
 *   provideStoreRegistry(registry);
 *   return () => h('main');
 * });
 */
export function provideStoreRegistry(registry: StoreRegistry): void {
  provide(STORE_REGISTRY, registry);
}

/**
 * A plugin that gives `useStore` in every component of the app the store registry, as
 * {@link provideStoreRegistry} does for a subtree.
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { createStoreRegistry } from '@switchboard/store';
 * import { createStoreRegistryPlugin } from '@switchboard/vue/store';
 * import { createApp, h } from 'vue';
 * const app = createApp({ render: () => h('main') });
 * app.use(createStoreRegistryPlugin(createStoreRegistry(createPubSub({ app: 'orders' }))));
 */
export function createStoreRegistryPlugin(registry: StoreRegistry): { install(app: App): void } {
  return {
    install(app) {
      app.provide(STORE_REGISTRY, registry);
    },
  };
}

/** The registry a composable uses: the one it was given, else the provided one. Throws naming `call` when neither. */
export function resolveRegistry(call: string, given: StoreRegistry | undefined): StoreRegistry {
  if (given !== undefined) return given;
  const registry = hasInjectionContext() ? inject(STORE_REGISTRY, null) : null;
  if (registry === null) throw missingRegistry(call);
  return registry;
}

/**
 * The store registry provided to this component (by {@link provideStoreRegistry} or the plugin).
 * Throws a clear error when none was.
 *
 * @example
 * import { defineStore } from '@switchboard/store';
 * import { injectStoreRegistry } from '@switchboard/vue/store';
 * import { defineComponent, h } from 'vue';
 * const draft = defineStore({ name: 'orders.draft', initial: { sku: '' }, owner: 'orders', scope: 'origin' });
 * export const Clear = defineComponent(() => {
 *   const store = injectStoreRegistry().get(draft);
 *   return () => h('button', { onClick: () => store.set({ sku: '' }) }, 'Clear');
 * });
 */
export function injectStoreRegistry(): StoreRegistry {
  return resolveRegistry('injectStoreRegistry()', undefined);
}
