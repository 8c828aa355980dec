export { createHistoryAdapter } from './history-adapter.ts';
export { createMemoryHistory } from './memory-history.ts';
export { rebuildState } from './projection.ts';
export { HistoryError, isHistoryError } from './errors.ts';
export { isSupported } from './is-supported.ts';
export { SCHEMA_VERSION } from './schema.ts';

export type { HistoryAdapter, HistoryStats } from './history-api.ts';
export type { HistoryReader } from './app-history.ts';
export type { HistoryOptions } from './history-options.ts';
export type { HistoryQueryOptions } from './query-plan.ts';
export type { ReplayOptions } from './replay.ts';
export type { EventSource, Reducer, RebuildOptions } from './projection.ts';
export type { GcResult } from './history-store.ts';
export type { HistoryErrorCode, HistoryFailure } from './errors.ts';
