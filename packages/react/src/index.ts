export { SwitchboardProvider } from './switchboard-provider.ts';
export { useBus } from './use-bus.ts';
export { useSubscription } from './use-subscription.ts';
export { useLatest } from './use-latest.ts';
export { useRetained } from './use-retained.ts';
export { usePublish } from './use-publish.ts';
export { useRequest } from './use-request.ts';
export { useLeader } from './use-leader.ts';
export { usePresence } from './use-presence.ts';
export { createHooks } from './create-hooks.ts';

export type { SwitchboardProviderProps } from './switchboard-provider.ts';
export type { UseSubscriptionOptions } from './use-subscription.ts';
export type { UseLatestOptions } from './use-latest.ts';
export type { UseRetainedOptions } from './use-retained.ts';
export type { Publish, UsePublishOptions } from './use-publish.ts';
export type { UseRequestResult, UseRequestOptions, RequestState, RequestStatus } from './use-request.ts';
export type { UseCrossTabOptions, LeaderState } from './use-leader.ts';
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
export type { TypedHooks } from './create-hooks.ts';
