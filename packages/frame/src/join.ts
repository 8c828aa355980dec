export { joinHost } from './join-host.ts';
export { frameHistory } from './frame-history.ts';
export { FrameRefusedError, isFrameRefusedError } from './errors.ts';

export type { JoinHostOptions } from './join-host.ts';
export type { FrameHistory } from './frame-history.ts';
export type { HistoryQuery } from './app-session.ts';
export type { OriginList } from './origins.ts';
export type { RefusalReason } from './errors.ts';
export type { ListeningWindowLike, MessageEventLike, PortLike, TargetWindowLike } from './window-like.ts';
