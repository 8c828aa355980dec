export { StoreRegistryProvider } from './store-registry-provider.ts';
export { useStore } from './use-store.ts';
export { useStoreValue } from './use-store-value.ts';

export type { StoreRegistryProviderProps } from './store-registry-provider.ts';
export type { UseStoreOptions } from './use-store.ts';
