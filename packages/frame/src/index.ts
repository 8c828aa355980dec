export { createFrameHost } from './create-frame-host.ts';
export { FRAME_JOINED, FRAME_LEFT } from './frame-events.ts';
export {
  FrameRefusedError,
  HubUnreachableError,
  isFrameRefusedError,
  isHubUnreachableError,
} from './errors.ts';

export type { FrameHost } from './create-frame-host.ts';
export type { ConnectFrameOptions, FrameAppStats, FrameConnection } from './connect-frame.ts';
export type { FrameHistorySource, HistoryQuery } from './app-session.ts';
export type { FrameHostOptions, FrameHostStats, FrameInfo } from './frame-host.ts';
export type { ConnectHubOptions, HubConnection, HubStats, HubStatus } from './connect-hub.ts';
export type { FrameConnectionState, FrameConnectionStats, FrameLeaveReason } from './connection.ts';
export type { FrameJoinedEvent, FrameLeftEvent, FrameSystemTopics } from './frame-events.ts';
export type { FrameErrorCode, RefusalReason, UnreachableReason } from './errors.ts';
export type { OriginList } from './origins.ts';
export type { FrameRole } from './protocol.ts';
export type {
  ChannelFactory,
  FrameElementLike,
  ListeningWindowLike,
  MessageEventLike,
  PortLike,
  TargetWindowLike,
} from './window-like.ts';
