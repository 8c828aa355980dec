export { joinHost } from './join-host.ts';
export { FrameRefusedError, isFrameRefusedError } from './errors.ts';

export type { JoinHostOptions } from './join-host.ts';
export type { OriginList } from './origins.ts';
export type { RefusalReason } from './errors.ts';
export type { ListeningWindowLike, MessageEventLike, PortLike, TargetWindowLike } from './window-like.ts';
