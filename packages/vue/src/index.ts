export { createSwitchboardPlugin, injectBus, provideBus } from './switchboard.ts';
export { useSubscription } from './use-subscription.ts';
export { useLatest } from './use-latest.ts';
export { useRetained } from './use-retained.ts';
export { usePublish } from './use-publish.ts';
export { useRequest } from './use-request.ts';
export { useLeader } from './use-leader.ts';
export { usePresence } from './use-presence.ts';
export { createComposables } from './create-composables.ts';

export type { ProvideOptions, SwitchboardPluginOptions } from './switchboard.ts';
export type { UseSubscriptionOptions } from './use-subscription.ts';
export type { UseLatestOptions } from './use-latest.ts';
export type { UseRetainedOptions } from './use-retained.ts';
export type { Publish, UsePublishOptions } from './use-publish.ts';
export type { RequestStatus, UseRequestOptions, UseRequestResult } from './use-request.ts';
export type { UseCrossTabOptions, UseLeaderResult } from './use-leader.ts';
// Types of the framework-agnostic part, shared with the other binding, under the same names.
export type {
  AnyRpcMethods,
  CallArgs,
  CallOptions,
  CrossTabSource,
  MessagesByTopic,
  ParamsOf,
  ResultOf,
  RpcSource,
  TabInfo,
  TypedMessagesByTopic,
} from '@switchboard/bus/internal';
export type { TypedComposables } from './create-composables.ts';
