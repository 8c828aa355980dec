// Type tests: checked by `npm run test:types` (tsc); a wrong type fails the build.
import { expectTypeOf } from 'vitest';
import type { AnyTopicMap, Message } from '../../src/index.ts';
import type { MessagesByTopic, TypedMessagesByTopic } from '../../src/internal.ts';
import type { Order, Topics } from './typed-maps.ts';

// The topics the pattern matches, each optional; no other key.
declare const stock: TypedMessagesByTopic<Topics, 'stock.+'>;
expectTypeOf(stock['stock.a1']).toEqualTypeOf<Message<{ available: number }> | undefined>();
// @ts-expect-error: not a topic the pattern matches
void stock['orders.placed'];
declare const orders: TypedMessagesByTopic<Topics, 'orders.#'>;
expectTypeOf(orders['orders.placed']).toEqualTypeOf<Message<Order> | undefined>();

// An untyped map: any topic, payloads as the caller says.
expectTypeOf<TypedMessagesByTopic<AnyTopicMap, 'stock.+'>>().toEqualTypeOf<MessagesByTopic>();
