export { createIdbSagaLog, isSupported } from './idb-saga-log.ts';

export type { IdbSagaLogOptions } from './idb-saga-log.ts';
