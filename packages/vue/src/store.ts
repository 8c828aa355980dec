export { createStoreRegistryPlugin, injectStoreRegistry, provideStoreRegistry } from './store-registry.ts';
export { useStore } from './use-store.ts';
export { useStoreValue } from './use-store-value.ts';

export type { UseStoreOptions, UseStoreResult } from './use-store.ts';
