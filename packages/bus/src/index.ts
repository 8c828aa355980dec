export { createPubSub } from './bus.ts';
export { createTopicMatcher } from './matcher.ts';
export { assertPattern, assertTopic, MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SYSTEM_PREFIX } from './topic.ts';
export {
  isSwitchboardError,
  LoopDetectedError,
  NotCloneableError,
  SwitchboardError,
  TimeoutError,
  TopicError,
} from './errors.ts';
export { findUncloneable, MAX_PAYLOAD_DEPTH } from './cloneable.ts';
export { getTabId } from './tab-id.ts';
export { warnOnce } from './warn-once.ts';
export { systemClock } from './clock.ts';
export { installDevtoolsHook } from './devtools-hook.ts';
export { systemAccess } from './system-access.ts';

export type { PubSubOptions } from './pub-sub-options.ts';
export type { Bus, BusStats, Handler, PubSubBus, SubscribeOptions, Unsubscribe } from './pub-sub-bus.ts';
export type { SystemAccess, SystemAccessOptions } from './system-access.ts';
export type { AdapterLink, BusAdapter, ErrorContext, Leadership } from './adapter.ts';
export type { Message, MessageMeta, PublishOptions } from './message.ts';
export type { TopicMatcher, TopicMatcherOptions } from './matcher.ts';
export type { AnyTopicMap, MatchesPattern, PayloadOf, TopicMap, TopicsMatching } from './topic-map.ts';
export type { SwitchboardErrorCode } from './errors.ts';
export type { WaitForOptions } from './wait-for.ts';
export type { Clock } from './clock.ts';
export type { DevtoolsHook, DevtoolsTap } from './devtools-hook.ts';
