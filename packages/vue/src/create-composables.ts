import type { AnyTopicMap, Bus, Handler, Message, PayloadOf, PublishOptions, TopicMap } from '@switchboard/bus';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import type { AnyRpcMethods, ParamsOf, ResultOf, TypedMessagesByTopic } from '@switchboard/bus/internal';
import { injectBus } from './switchboard.ts';
import { type UseLatestOptions, useLatest } from './use-latest.ts';
import { usePublish, type UsePublishOptions } from './use-publish.ts';
import { type UseRequestOptions, type UseRequestResult, useRequest } from './use-request.ts';
import { type UseRetainedOptions, useRetained } from './use-retained.ts';
import { type UseSubscriptionOptions, useSubscription } from './use-subscription.ts';

/** The composables typed by a topic map `M` and an RPC method map `R`; see {@link createComposables}. */
export interface TypedComposables<M extends TopicMap, R> {
  /** `injectBus`, typed by `M`. */
  injectBus(): Bus<M>;
  /** `useSubscription`: the handler gets the payload types of the topics `pattern` matches. */
  useSubscription<P extends string>(
    pattern: MaybeRefOrGetter<P>,
    handler: Handler<PayloadOf<M, P>>,
    options?: UseSubscriptionOptions,
  ): () => void;
  /** `useLatest`, typed by the topics `topic` matches. */
  useLatest<P extends string>(
    topic: MaybeRefOrGetter<P>,
    options?: UseLatestOptions,
  ): Readonly<ShallowRef<Message<PayloadOf<M, P>> | undefined>>;
  /** `useRetained`, by topic, typed by the topics `pattern` matches. */
  useRetained<P extends string>(
    pattern: MaybeRefOrGetter<P>,
    options?: UseRetainedOptions,
  ): Readonly<ShallowRef<TypedMessagesByTopic<M, P>>>;
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
 * The composables, typed by your app's topic map and RPC method map. It returns the very same
 * composables (no wrapper, no cost): only their types change, so call it once in a module of
 * your app and import them from there. The provided bus is not checked against `M`: provide the
 * bus of the same map.
 *
 * @example
 * import { createComposables } from '@switchboard/vue';
 * type Topics = { 'orders.placed': { id: string; total: number } };
 * interface Methods { 'inventory.reserve'(params: { sku: string }): { reservationId: string } }
 * export const { useSubscription, usePublish, useRequest } = createComposables<Topics, Methods>();
 */
export function createComposables<M extends TopicMap = AnyTopicMap, R = AnyRpcMethods>(): TypedComposables<M, R> {
  return { injectBus, useSubscription, useLatest, useRetained, usePublish, useRequest } as unknown as TypedComposables<
    M,
    R
  >;
}
