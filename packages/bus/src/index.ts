export { createPubSub } from './bus.ts';
export { createTopicMatcher } from './matcher.ts';
export { topicMatches } from './topic-matches.ts';
export {
  isLoopDetectedError,
  isNotCloneableError,
  isSwitchboardError,
  isTimeoutError,
  isTopicError,
  LoopDetectedError,
  NotCloneableError,
  SwitchboardError,
  TimeoutError,
  TopicError,
} from './errors.ts';
export { getTabId } from './tab-id.ts';
export { systemAccess } from './system-access.ts';

export type { PubSubOptions } from './pub-sub-options.ts';
export type { AnyBus, Bus, BusStats, Handler, PubSubBus, SubscribeOptions, Unsubscribe } from './pub-sub-bus.ts';
export type { SystemAccess, SystemAccessOptions } from './system-access.ts';
export type { AdapterLink, BusAdapter, ErrorContext, Leadership } from './adapter.ts';
export type { Message, MessageMeta, PublishOptions } from './message.ts';
export type { TopicMatcher, TopicMatcherOptions } from './matcher.ts';
export type { AnyTopicMap, MatchesPattern, PayloadOf, TopicMap, TopicsMatching } from './topic-map.ts';
export type { BusErrorCode, SwitchboardErrorCode } from './errors.ts';
export type { WaitForOptions } from './wait-for.ts';
export type { Clock } from './clock.ts';
