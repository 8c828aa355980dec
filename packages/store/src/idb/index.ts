export { createIdbStoreStorage } from './idb-store-storage.ts';

export type { IdbStoreStorage, IdbStoreStorageOptions, StoreSnapshot, StoreTimeline } from './idb-store-storage.ts';
