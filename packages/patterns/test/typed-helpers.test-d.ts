// Type tests: checked by `npm run test:types` (tsc). Each helper takes a bus of any topic map and
// carries the types it can further: RPC methods, aggregate sources, saga results.
import { createPubSub, type AnyBus, type Bus } from '@switchboard/bus';
import { expectTypeOf } from 'vitest';
import {
  createAggregator,
  createCircuitBreaker,
  createRpc,
  createSaga,
  type AggregateResult,
  type Rpc,
  type SagaResult,
  type SagaTopics,
} from '../src/index.ts';

interface Reservation {
  reservationId: string;
}
interface Topics {
  'orders.placed': { orderId: string };
  'inventory.reserved': Reservation;
}
interface InventoryMethods {
  'inventory.reserve'(params: { sku: string; quantity: number }): Reservation;
  'inventory.stock'(): Array<{ sku: string; available: number }>;
  'inventory.release'(params: Reservation): Promise<{ released: boolean }>;
}

const bus = createPubSub<Topics>({ app: 'orders' });
const facade: Bus<Topics> = bus;

// Every helper accepts a typed bus (and any Bus), not only an untyped one.
expectTypeOf(bus).toExtend<AnyBus>();
const rpc = createRpc<InventoryMethods>(bus);
createRpc(facade);
createAggregator(bus);
createCircuitBreaker(bus, { name: 'inventory' });
createSaga(bus, { name: 'checkout' });

// RPC with a method map: params and result checked at both ends.
expectTypeOf(rpc.request('inventory.reserve', { sku: 'a', quantity: 1 })).toEqualTypeOf<Promise<Reservation>>();
expectTypeOf(rpc.request('inventory.stock')).toEqualTypeOf<Promise<Array<{ sku: string; available: number }>>>();
expectTypeOf(rpc.request('inventory.release', { reservationId: 'r' }, { timeout: 100 })).toEqualTypeOf<
  Promise<{ released: boolean }>
>();
// @ts-expect-error: unknown method
void rpc.request('inventory.restock', {});
// @ts-expect-error: wrong params
void rpc.request('inventory.reserve', { sku: 'a', quantity: '1' });
// @ts-expect-error: missing params
void rpc.request('inventory.reserve');
// @ts-expect-error: a method without params takes none
void rpc.request('inventory.stock', { sku: 'a' });

rpc.handle('inventory.reserve', ({ sku, quantity }, context) => {
  expectTypeOf(sku).toEqualTypeOf<string>();
  expectTypeOf(quantity).toEqualTypeOf<number>();
  expectTypeOf(context.requestId).toEqualTypeOf<string>();
  return { reservationId: `${sku}-${quantity}` };
});
rpc.handle('inventory.release', async () => ({ released: true }));
// @ts-expect-error: wrong result type
rpc.handle('inventory.reserve', () => ({ reservation: 'r1' }));
// @ts-expect-error: unknown method
rpc.handle('inventory.restock', () => null);

// Without a method map: any method, results typed at the call, as before.
const loose = createRpc(bus);
expectTypeOf(loose.request<number>('orders.total', { items: [] })).toEqualTypeOf<Promise<number>>();
expectTypeOf(loose.request('orders.total')).toEqualTypeOf<Promise<unknown>>();
loose.handle('orders.total', ({ items }: { items: number[] }) => items.length);
// Any rpc can be shared with an aggregator.
createAggregator(bus, { rpc });
createAggregator(bus, { rpc: loose });
expectTypeOf(rpc).not.toEqualTypeOf<Rpc>();

// Aggregator with a source map: responders checked, answers typed by source.
interface Sources {
  orders(): { placed: number };
  inventory(): { units: number };
}
const aggregator = createAggregator<Sources>(bus);
aggregator.respond('orders', () => ({ placed: 3 }));
// @ts-expect-error: wrong answer for the source
aggregator.respond('inventory', () => ({ placed: 3 }));
// @ts-expect-error: unknown source
aggregator.respond('analytics', () => ({}));
expectTypeOf(aggregator.aggregate({ sources: ['orders', 'inventory'] })).toEqualTypeOf<
  Promise<AggregateResult<{ orders: { placed: number }; inventory: { units: number } }>>
>();
void aggregator.aggregate({
  sources: ['orders'],
  transform: (results) => expectTypeOf(results.get('orders')).toEqualTypeOf<{ placed: number } | undefined>(),
});
// @ts-expect-error: unknown source
void aggregator.aggregate({ sources: ['analytics'] });
const shaped = aggregator.aggregate({
  sources: ['orders', 'inventory'],
  transform: (results, { missing }) => ({ placed: results.get('orders')?.placed ?? 0, stale: missing.length > 0 }),
});
expectTypeOf(shaped).toEqualTypeOf<Promise<{ placed: number; stale: boolean }>>();
// The untyped aggregator still takes any source and an explicit result type.
void createAggregator(bus).aggregate<{ n: number }>({ sources: ['x'], transform: () => ({ n: 1 }) });

// Saga: each addStep appends its result's type; later steps and the outcome see them.
const checkout = createSaga<{ orderId: string }>(bus, { name: 'checkout' })
  .addStep({
    action: async ({ input }) => ({ reservationId: input.orderId }),
    compensation: ({ result }) => expectTypeOf(result).toEqualTypeOf<{ reservationId: string } | undefined>(),
  })
  .addStep({
    action: ({ results }) => {
      expectTypeOf(results).toEqualTypeOf<[{ reservationId: string }]>();
      return 42;
    },
  });
const outcome = await checkout.execute({ orderId: 'o1' });
expectTypeOf(outcome).toEqualTypeOf<SagaResult<[{ reservationId: string }, number]>>();
if (outcome.success) expectTypeOf(outcome.results).toEqualTypeOf<[{ reservationId: string }, number]>();
else expectTypeOf(outcome.error).toBeUnknown();
// @ts-expect-error: wrong input
void checkout.execute({ order: 'o1' });

// A topic map can include a saga's progress events, under its prefix.
interface SagaAppTopics extends SagaTopics {
  'orders.placed': { orderId: string };
}
const sagaBus = createPubSub<SagaAppTopics>({ app: 'orders' });
sagaBus.subscribe('saga.failed', (message) => {
  expectTypeOf(message.payload.error.message).toEqualTypeOf<string>();
  expectTypeOf(message.payload.interrupted).toEqualTypeOf<boolean>();
});
sagaBus.subscribe('saga.step.+', (message) => expectTypeOf(message.payload.step).toEqualTypeOf<number>());
expectTypeOf<keyof SagaTopics<'checkout'>>().toEqualTypeOf<
  | 'checkout.step.completed'
  | 'checkout.completed'
  | 'checkout.failed'
  | 'checkout.step.compensated'
  | 'checkout.compensation.failed'
>();

// Steps given as options are typed by the input too (their results stay unknown).
const listed = createSaga<{ order: string }>(bus, {
  name: 'listed',
  steps: ['reserve', 'pay'].map((name) => ({
    name,
    action: ({ input }) => `${name}-${input.order}`,
    compensation: ({ input, result }) => expectTypeOf(input.order).toEqualTypeOf<string>() && result,
  })),
});
expectTypeOf(listed.execute({ order: 'o1' })).toEqualTypeOf<Promise<SagaResult<readonly unknown[]>>>();
