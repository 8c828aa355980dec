// Type tests: checked by `npm run test:types` (tsc). History attaches to a bus of any topic map,
// and with the map it types what queries and replays return, by pattern.
import { createPubSub, type Message } from '@switchboard/bus';
import { expectTypeOf } from 'vitest';
import { createHistoryAdapter, createMemoryHistory, rebuildState } from '../src/index.ts';

interface Order {
  orderId: string;
  total: number;
}
interface Topics {
  'orders.placed': Order;
  'orders.failed': { orderId: string; reason: string };
}

const history = createHistoryAdapter<Topics>();
expectTypeOf(history.attach(createPubSub<Topics>({ app: 'orders' }))).toEqualTypeOf<Promise<void>>();
void createMemoryHistory().attach(createPubSub({ app: 'untyped' }));
void createMemoryHistory<Topics>().attach(createPubSub<Topics>({ app: 'orders' }));

expectTypeOf(history.getHistory('orders.placed')).toEqualTypeOf<Promise<Message<Order>[]>>();
expectTypeOf(history.getHistory('orders.+')).toEqualTypeOf<
  Promise<Message<Order | { orderId: string; reason: string }>[]>
>();
expectTypeOf(history.getHistory<{ custom: true }>('other.#')).toEqualTypeOf<Promise<Message<{ custom: true }>[]>>();
void history.subscribe('orders.placed', (message) => expectTypeOf(message.payload).toEqualTypeOf<Order>(), {
  last: 10,
});
const total = history.rebuild('orders.placed', (sum, event) => sum + event.payload.total, 0);
expectTypeOf(total).toEqualTypeOf<Promise<number>>();
// @ts-expect-error: orders.failed has no total
void history.rebuild('orders.failed', (sum: number, event) => sum + event.payload.total, 0);
// A typed history is still an event source for rebuildState.
void rebuildState(history, 'orders.#', (count: number) => count + 1, 0);

// Without a map, payloads are `any`, as before.
// biome-ignore lint/suspicious/noExplicitAny: the untyped history's payloads are `any`, which this checks.
expectTypeOf(createMemoryHistory().getHistory('x.#')).toEqualTypeOf<Promise<Message<any>[]>>();
