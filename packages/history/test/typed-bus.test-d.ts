// Type tests: checked by `npm run test:types` (tsc). History attaches to a bus of any topic map.
import { createPubSub } from '@switchboard/bus';
import { expectTypeOf } from 'vitest';
import { createHistoryAdapter, createMemoryHistory } from '../src/index.ts';

interface Topics {
  'orders.placed': { orderId: string };
}

expectTypeOf(createHistoryAdapter().attach(createPubSub<Topics>({ app: 'orders' }))).toEqualTypeOf<Promise<void>>();
void createMemoryHistory().attach(createPubSub({ app: 'untyped' }));
