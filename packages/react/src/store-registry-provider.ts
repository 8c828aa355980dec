import type { StoreRegistry } from '@switchboard/store';
import { createContext, createElement, type ReactElement, type ReactNode, useContext } from 'react';
import { missingRegistry } from './errors.ts';

const StoreRegistryContext = /* @__PURE__ */ createContext<StoreRegistry | null>(null);

/** Props of {@link StoreRegistryProvider}. */
export interface StoreRegistryProviderProps {
  /** The stores of this app: `createStoreRegistry(bus)` from `@switchboard/store`, on the app's bus or handle. */
  registry: StoreRegistry;
  children?: ReactNode;
}

/**
 * Gives `useStore` below it the app's store registry. The provider only hands it on; whoever
 * created the registry disposes it (an MFE in its `unmount`).
 *
 * @example
 * import { createPubSub } from '@switchboard/bus';
 * import { StoreRegistryProvider } from '@switchboard/react/store';
 * import { createStoreRegistry } from '@switchboard/store';
 * import { createElement } from 'react';
 * const registry = createStoreRegistry(createPubSub({ app: 'orders' }));
 * const app = createElement(StoreRegistryProvider, { registry }, createElement('main'));
 */
export function StoreRegistryProvider({ registry, children }: StoreRegistryProviderProps): ReactElement {
  return createElement(StoreRegistryContext.Provider, { value: registry }, children);
}

/** The registry a store hook uses: the one it was given, else its provider's. Throws naming `call` when neither. */
export function useResolvedRegistry(call: string, given: StoreRegistry | undefined): StoreRegistry {
  const context = useContext(StoreRegistryContext);
  const registry = given ?? context;
  if (registry === null) throw missingRegistry(call);
  return registry;
}
