import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { createPubSub, type PubSubBus } from '../src/index.ts';
import type { TopicsOf } from '../src/schemas.ts';

const schemas = {
  'orders.placed': v.object({ orderId: v.string(), total: v.number() }),
  'orders.failed': v.object({ orderId: v.string(), reason: v.string() }),
  'metrics.+.cpu': v.number(),
  'audit.#': v.object({ who: v.string() }),
};
type Topics = TopicsOf<typeof schemas>;

describe('TopicsOf', () => {
  it('infers the topic map from the schemas', () => {
    expectTypeOf<Topics['orders.placed']>().toEqualTypeOf<{ orderId: string; total: number }>();
    expectTypeOf<Topics['orders.failed']>().toEqualTypeOf<{ orderId: string; reason: string }>();
    expectTypeOf<keyof Topics>().toEqualTypeOf<
      'orders.placed' | 'orders.failed' | `metrics.${string}.cpu` | 'audit' | `audit.${string}`
    >();
  });

  it('types publish and subscribe of a bus created with it', () => {
    const bus: PubSubBus<Topics> = createPubSub<Topics>({ app: 'shell' });
    bus.publish('orders.placed', { orderId: 'o1', total: 3 });
    // @ts-expect-error total must be a number
    bus.publish('orders.placed', { orderId: 'o1', total: '3' });
    // @ts-expect-error no such topic
    bus.publish('orders.shipped', {});
    bus.publish('metrics.host1.cpu', 0.5);
    bus.publish('audit.login', { who: 'ann' });
    bus.subscribe('orders.+', (message) => {
      expectTypeOf(message.payload).toEqualTypeOf<
        { orderId: string; total: number } | { orderId: string; reason: string }
      >();
    });
  });
});
