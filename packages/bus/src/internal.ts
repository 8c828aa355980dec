/**
 * `@switchboard/bus/internal`: what Switchboard's own packages share and apps do not need. Not
 * part of the public API: it may change in any release, without notice. Import from
 * `@switchboard/bus` instead.
 */
export { warnOnce } from './warn-once.ts';
export { systemClock } from './clock.ts';
export { findUncloneable } from './cloneable.ts';
export { installDevtoolsHook } from './devtools-hook.ts';
export { brandError, hasErrorBrand } from './error-brand.ts';
export { assertPattern, assertTopic, MAX_TOPIC_DEPTH, MAX_TOPIC_LENGTH, SYSTEM_PREFIX } from './topic.ts';
// The framework-agnostic part of the React and Vue bindings (as TanStack's query-core is to
// react-query and vue-query). The bindings re-export its public types under the same names.
export { invalidMaxTopics, missingCrossTab, notABus } from './bindings/binding-errors.ts';
export { crossTabOf } from './bindings/cross-tab-source.ts';
export { isBus } from './bindings/is-bus.ts';
export { messagesByTopic, NO_MESSAGES } from './bindings/messages-by-topic.ts';
export { subscribeOptions } from './bindings/subscribe-options.ts';
export { tabsOfBus } from './bindings/tabs-of-bus.ts';

export type { DevtoolsHook, DevtoolsTap } from './devtools-hook.ts';
export type { CrossTabSource, TabInfo } from './bindings/cross-tab-source.ts';
export type { MessagesByTopic, MessagesByTopicFold, TypedMessagesByTopic } from './bindings/messages-by-topic.ts';
export type { AnyRpcMethods, CallArgs, CallOptions, ParamsOf, ResultOf, RpcSource } from './bindings/rpc-source.ts';
export type { TabsOfBus } from './bindings/tabs-of-bus.ts';
