import type { AnyTopicMap, Bus, Handler, Message, PayloadOf, PublishOptions, TopicMap } from '@switchboard/bus';
import type { AnyRpcMethods, ParamsOf, ResultOf, TypedMessagesByTopic } from '@switchboard/bus/internal';
import { useBus } from './use-bus.ts';
import { type UseLatestOptions, useLatest } from './use-latest.ts';
import { usePublish, type UsePublishOptions } from './use-publish.ts';
import { type UseRequestResult, type UseRequestOptions, useRequest } from './use-request.ts';
import { type UseRetainedOptions, useRetained } from './use-retained.ts';
import { type UseSubscriptionOptions, useSubscription } from './use-subscription.ts';

/** The hooks typed by a topic map `M` and an RPC method map `R`; see {@link createHooks}. */
export interface TypedHooks<M extends TopicMap, R> {
  /** `useBus`, typed by `M`. */
  useBus(): Bus<M>;
  /** `useSubscription`: the handler gets the payload types of the topics `pattern` matches. */
  useSubscription<P extends string>(
    pattern: P,
    handler: Handler<PayloadOf<M, P>>,
    options?: UseSubscriptionOptions,
  ): void;
  /** `useLatest`, typed by the topics `topic` matches. */
  useLatest<P extends string>(topic: P, options?: UseLatestOptions): Message<PayloadOf<M, P>> | undefined;
  /** `useRetained`, by topic, typed by the topics `pattern` matches. */
  useRetained<P extends string>(pattern: P, options?: UseRetainedOptions): TypedMessagesByTopic<M, P>;
  /** `usePublish`: topics and payloads checked against `M`. */
  usePublish(
    options?: UsePublishOptions,
  ): <K extends keyof M & string>(topic: K, payload: M[K], options?: PublishOptions) => Message<M[K]>;
  /** `useRequest`: the method name, params and result checked against `R`. */
  useRequest<K extends keyof R & string>(
    method: K,
    options?: UseRequestOptions,
  ): UseRequestResult<ParamsOf<R, K>, ResultOf<R, K>>;
}

/**
 * The hooks, typed by your app's topic map and RPC method map. It returns the very same hooks
 * (no wrapper, no cost): only their types change, so call it once in a module of your app and
 * import the hooks from there. The provider's bus is not checked against `M`: give it the bus of
 * the same map.
 *
 * @example
 * import { createHooks } from '@switchboard/react';
 * type Topics = { 'orders.placed': { id: string; total: number } };
 * interface Methods { 'inventory.reserve'(params: { sku: string }): { reservationId: string } }
 * export const { useSubscription, usePublish, useRequest } = createHooks<Topics, Methods>();
 */
export function createHooks<M extends TopicMap = AnyTopicMap, R = AnyRpcMethods>(): TypedHooks<M, R> {
  return { useBus, useSubscription, useLatest, useRetained, usePublish, useRequest } as unknown as TypedHooks<M, R>;
}
