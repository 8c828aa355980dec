// Type tests: checked by `npm run test:types` (tsc); a wrong type fails the build.
import { expectTypeOf } from 'vitest';
import { createPubSub, type Message, type MatchesPattern, type PayloadOf } from '../src/index.ts';

interface Order {
  orderId: string;
  total: number;
}
interface Stock {
  sku: string;
  count: number;
}
type Topics = {
  'orders.created': Order;
  'orders.cancelled': { orderId: string; reason: string };
  'inventory.stock.changed': Stock;
  'inventory.stock.reserved': { sku: string; orderId: string };
};

const bus = createPubSub<Topics>({ app: 'typed' });

// publish checks the topic and the payload
bus.publish('orders.created', { orderId: 'o1', total: 3 });
// @ts-expect-error: unknown topic
bus.publish('orders.shipped', { orderId: 'o1' });
// @ts-expect-error: wrong payload
bus.publish('orders.created', { orderId: 1, total: 3 });
expectTypeOf(bus.publish('inventory.stock.changed', { sku: 'a', count: 1 })).toEqualTypeOf<Message<Stock>>();

// exact and wildcard patterns infer the payload union
bus.subscribe('orders.created', (m) => expectTypeOf(m.payload).toEqualTypeOf<Order>());
bus.subscribe('orders.+', (m) => expectTypeOf(m.payload).toEqualTypeOf<Order | { orderId: string; reason: string }>());
bus.subscribe('inventory.#', (m) => expectTypeOf(m.payload).toEqualTypeOf<Stock | { sku: string; orderId: string }>());
bus.subscribe('+.stock.reserved', (m) => expectTypeOf(m.payload).toEqualTypeOf<{ sku: string; orderId: string }>());
bus.waitFor('orders.created').then((m) => expectTypeOf(m.payload).toEqualTypeOf<Order>());

// an explicit payload type, as the seed samples write it
bus.subscribe<{ custom: true }>('anything.goes', (m) => expectTypeOf(m.payload).toEqualTypeOf<{ custom: true }>());

// an untyped bus takes any topic and gives `any` payloads (what the seed samples rely on)
const loose = createPubSub({ app: 'loose' });
loose.publish('whatever.topic', { a: 1 });
loose.subscribe('whatever.#', (m) => expectTypeOf(m.payload).toBeAny());

// the matcher at type level
expectTypeOf<MatchesPattern<'a.b', 'a.#'>>().toEqualTypeOf<true>();
expectTypeOf<MatchesPattern<'a', 'a.#'>>().toEqualTypeOf<true>();
expectTypeOf<MatchesPattern<'a.b.c', 'a.+'>>().toEqualTypeOf<false>();
expectTypeOf<MatchesPattern<'a', 'a.+'>>().toEqualTypeOf<false>();
expectTypeOf<MatchesPattern<'x.y', '#'>>().toEqualTypeOf<true>();
expectTypeOf<PayloadOf<Topics, 'nothing.here'>>().toBeNever();
