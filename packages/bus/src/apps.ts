export { forApp, APP_DENIED_TOPIC } from './for-app.ts';
export { defineManifest } from './manifest.ts';
export { DEFAULT_HELPERS, TRANSPORT_NAMESPACES } from './system-rules.ts';
export { isPermissionError, PermissionError } from './permission-error.ts';

export type { AppBus, AppBusStats, AppDenial, ForAppOptions } from './for-app.ts';
export type { AppPermissions, Manifest } from './manifest.ts';
export type { PermissionAction } from './permission-error.ts';
