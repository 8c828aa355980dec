// Type tests: checked by `npm run test:types` (tsc); a wrong type fails the build.
import { createPubSub, type Message } from '@switchboard/bus';
import { expectTypeOf } from 'vitest';
import type { Methods, Order, Topics } from '../../bus/test/bindings/typed-maps.ts';
import { createHooks, SwitchboardProvider, useLatest as untypedLatest, type UseRequestResult } from '../src/index.ts';

const { useBus, useSubscription, useLatest, useRetained, usePublish, useRequest } = createHooks<Topics, Methods>();

// The hooks are called in a component, as React requires.
export function TypedUse(): null {
  // useSubscription: the handler gets the payloads of the topics the pattern matches
  useSubscription('orders.placed', (message) => expectTypeOf(message.payload).toEqualTypeOf<Order>());
  useSubscription('orders.+', (message) =>
    expectTypeOf(message.payload).toEqualTypeOf<Order | { id: string; reason: string }>(),
  );

  // useLatest and useRetained
  expectTypeOf(useLatest('stock.a1')).toEqualTypeOf<Message<{ available: number }> | undefined>();
  const stock = useRetained('stock.+');
  expectTypeOf(stock['stock.a1']).toEqualTypeOf<Message<{ available: number }> | undefined>();
  // @ts-expect-error: not a topic the pattern matches
  void stock['orders.placed'];

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
  expectTypeOf(reserve.callAsync({ sku: 'a1', quantity: 1 })).toEqualTypeOf<Promise<{ reservationId: string }>>();
  expectTypeOf(reserve.data).toEqualTypeOf<{ reservationId: string } | undefined>();
  // @ts-expect-error: params missing
  reserve.call();
  // @ts-expect-error: wrong params
  reserve.call({ sku: 1, quantity: 1 });
  // A method without params may be called without them; its promise result is unwrapped.
  const count = useRequest('inventory.count');
  count.call();
  expectTypeOf(count.data).toEqualTypeOf<number | undefined>();
  // @ts-expect-error: unknown method
  useRequest('inventory.unknown');

  // useBus is typed by the map
  useBus().publish('stock.b2', { available: 1 });
  // @ts-expect-error: wrong payload
  useBus().publish('stock.b2', { available: '1' });
  // A bus of any topic map goes to the provider and to the untyped hooks' `bus` option.
  const typedBus = createPubSub<Topics>({ app: 'typed' });
  void SwitchboardProvider({ bus: typedBus });
  untypedLatest('orders.placed', { bus: typedBus });
  return null;
}
