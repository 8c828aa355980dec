export { mountInspector } from './mount-inspector.ts';
export { parseSession, serializeSession, SESSION_FORMAT, SESSION_VERSION } from './session.ts';
export { readStoreOperation } from './store-operations.ts';
export { InspectorError, isInspectorError } from './errors.ts';

export type { InspectorStats, MountedInspector, MountInspectorOptions } from './mount-inspector.ts';
export type { InspectorSession, SessionContent } from './session.ts';
export type { StoreOperation, StoreOperationKind } from './store-operations.ts';
export type { InspectorHistory } from './views/history-browser.ts';
export type { StoreTimelineSource } from './views/store-as-of.ts';
export type { TabsSource } from './views/tabs-view.ts';
export type { InspectorErrorCode } from './errors.ts';
export type { Malformed } from './payload-checks.ts';
