export { defineStore } from './define-store.ts';
export { createStoreRegistry } from './store-registry.ts';
export { attachStores } from './store-service.ts';
export { computed, select } from './readable.ts';
export {
  isStoreError,
  isTransactionAbortedError,
  StoreError,
  StoreLoopError,
  TransactionAbortedError,
} from './errors.ts';

export type {
  CommandContext,
  CommandHandler,
  CommandHandlers,
  NoCommands,
  StandardSchemaLike,
  StoreDefinition,
  StoreDefinitionOptions,
} from './define-store.ts';
export type { GetStoreOptions, StoreRegistry, StoreRegistryOptions } from './store-registry.ts';
export type { AttachStoresOptions, StoreService, StoresStats } from './store-service-types.ts';
export type { Store } from './store-handle.ts';
export type { Equals, Readable } from './readable.ts';
export type { StoreRef, Transaction } from './transaction.ts';
export type { PersistedState, StoreStorage } from './store-storage.ts';
export type { Commit } from './protocol.ts';
