import type { Message, PublishOptions } from '@switchboard/bus';
import { useCallback } from 'react';
import type { AnyBus } from '@switchboard/bus';
import { useResolvedBus } from './switchboard-provider.ts';

/** Options of {@link usePublish}. */
export interface UsePublishOptions {
  /** The bus to publish on. @default the nearest `SwitchboardProvider`'s */
  bus?: AnyBus | undefined;
}

/** Publishes on the hook's bus; the same function for as long as the bus stays the same. */
// biome-ignore lint/suspicious/noExplicitAny: untyped, any topic takes any payload; createHooks<Topics>() types it.
export type Publish = (topic: string, payload: any, options?: PublishOptions) => Message<any>;

/**
 * A function that publishes on the provider's bus, stable across renders (safe in dependency
 * lists and for memoised children). Publishing is for event handlers and effects, never render.
 *
 * @example
 * import { usePublish } from '@switchboard/react';
 * function AddToCart({ sku }: { sku: string }) {
 *   const publish = usePublish();
 *   return <button onClick={() => publish('cart.added', { sku })}>Add</button>;
 * }
 */
export function usePublish(options: UsePublishOptions = {}): Publish {
  const bus = useResolvedBus('usePublish', options.bus);
  return useCallback<Publish>((topic, payload, publishOptions) => bus.publish(topic, payload, publishOptions), [bus]);
}
