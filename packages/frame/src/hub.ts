export { serveHub } from './serve-hub.ts';
export { FrameRefusedError, isFrameRefusedError } from './errors.ts';

export type { HubChannelLike, HubFrame, HubFrameStats, ServeHubOptions } from './serve-hub.ts';
export type { HubReach, CookieJarLike } from './site-probe.ts';
export type { OriginList } from './origins.ts';
export type { RefusalReason } from './errors.ts';
