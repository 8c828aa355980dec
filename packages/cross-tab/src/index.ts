export { attachCrossTab } from './cross-tab.ts';
export { createCrossTabPubSub } from './create-cross-tab-pub-sub.ts';
export { isSupported } from './channel.ts';
export { EnvelopeError, isEnvelopeError, isPayloadError, PayloadError } from './errors.ts';
export { ENVELOPE_VERSION } from './envelope.ts';
export { estimatePayloadBytes } from './payload-size.ts';
export { LEADER_CHANGED, TAB_JOINED, TAB_LEFT } from './system-topics.ts';

export type { CrossTab, CrossTabStats, WhenLeaderOptions } from './cross-tab.ts';
export type { CrossTabOptions } from './cross-tab-options.ts';
export type { CrossTabErrorCode } from './errors.ts';
export type { LifecycleTarget } from './page-lifecycle.ts';
export type { CrossTabPubSub, CrossTabPubSubOptions } from './create-cross-tab-pub-sub.ts';
export type { ChannelFactory, ChannelLike } from './channel.ts';
export type { Envelope, IgnoredReason } from './envelope.ts';
export type { LeaderElectionMode, LockManagerLike } from './leader-election.ts';
export type { LeaveReason, Presence, TabInfo } from './presence.ts';
export type { CrossTabSystemTopics, LeaderChangedEvent, TabJoinedEvent, TabLeftEvent } from './system-topics.ts';
