// Type tests: checked by `npm run test:types` (tsc); a wrong type fails the build.
import type { Message } from '@switchboard/bus';
import { expectTypeOf } from 'vitest';
import type { Methods, Order, Topics } from '../../bus/test/bindings/typed-maps.ts';
import type { ShallowRef } from 'vue';
import { createComposables, type UseRequestResult } from '../src/index.ts';

const { injectBus, useSubscription, useLatest, useRetained, usePublish, useRequest } = createComposables<
  Topics,
  Methods
>();

// useSubscription: the handler gets the payloads of the topics the pattern matches
useSubscription('orders.placed', (message) => expectTypeOf(message.payload).toEqualTypeOf<Order>());
useSubscription('orders.+', (message) =>
  expectTypeOf(message.payload).toEqualTypeOf<Order | { id: string; reason: string }>(),
);

// useLatest and useRetained
expectTypeOf(useLatest('stock.a1')).toEqualTypeOf<Readonly<ShallowRef<Message<{ available: number }> | undefined>>>();
const stock = useRetained('stock.+');
expectTypeOf(stock.value['stock.a1']).toEqualTypeOf<Message<{ available: number }> | undefined>();
// @ts-expect-error: not a topic the pattern matches
void stock.value['orders.placed'];

// usePublish checks topics and payloads
const publish = usePublish();
publish('orders.placed', { id: 'o1', total: 3 });
// @ts-expect-error: unknown topic
publish('orders.shipped', { id: 'o1' });
// @ts-expect-error: wrong payload
publish('orders.placed', { id: 1, total: 3 });

// useRequest checks the method, the params and the result
const reserve = useRequest('inventory.reserve');
expectTypeOf(reserve).toEqualTypeOf<UseRequestResult<{ sku: string; quantity: number }, { reservationId: string }>>();
reserve.call({ sku: 'a1', quantity: 1 });
expectTypeOf(reserve.data.value).toEqualTypeOf<{ reservationId: string } | undefined>();
// @ts-expect-error: params missing
reserve.call();
const count = useRequest('inventory.count');
count.call();
expectTypeOf(count.callAsync()).toEqualTypeOf<Promise<number>>();
// @ts-expect-error: unknown method
useRequest('inventory.unknown');

// injectBus is typed by the map
injectBus().publish('stock.b2', { available: 1 });
// @ts-expect-error: wrong payload
injectBus().publish('stock.b2', { available: '1' });
