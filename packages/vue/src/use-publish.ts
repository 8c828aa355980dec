import type { Message, PublishOptions } from '@switchboard/bus';
import type { AnyBus } from '@switchboard/bus';
import { resolveBus } from './switchboard.ts';

/** Options of {@link usePublish}. */
export interface UsePublishOptions {
  /** The bus to publish on. @default the provided one */
  bus?: AnyBus | undefined;
}

/** Publishes on the composable's bus. */
// biome-ignore lint/suspicious/noExplicitAny: untyped, any topic takes any payload; createComposables<Topics>() types it.
export type Publish = (topic: string, payload: any, options?: PublishOptions) => Message<any>;

/**
 * A function that publishes on the provided bus. Call it in event handlers and watchers, not
 * during render.
 *
 * @example
 * import { usePublish } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * export const AddToCart = defineComponent((props: { sku: string }) => {
 *   const publish = usePublish();
 *   return () => h('button', { onClick: () => publish('cart.added', { sku: props.sku }) }, 'Add');
 * }, { props: ['sku'] });
 */
export function usePublish(options: UsePublishOptions = {}): Publish {
  const bus = resolveBus('usePublish', options.bus);
  return (topic, payload, publishOptions) => bus.publish(topic, payload, publishOptions);
}
