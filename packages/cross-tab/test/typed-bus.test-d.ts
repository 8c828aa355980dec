// Type tests: checked by `npm run test:types` (tsc). Cross-tab and the testing kit's tabs take a
// bus of any topic map and keep its types.
import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { createTestTabs, type TestTabs } from '@switchboard/testing';
import { expectTypeOf } from 'vitest';
import { attachCrossTab, createCrossTabPubSub, type CrossTab, type CrossTabOptions } from '../src/index.ts';

interface Topics {
  'orders.placed': { orderId: string };
}

expectTypeOf(attachCrossTab(createPubSub<Topics>({ app: 'orders' }))).toEqualTypeOf<CrossTab>();
const bus = createCrossTabPubSub<Topics>({ app: 'orders' });
bus.publish('orders.placed', { orderId: 'o1' });
// @ts-expect-error: wrong payload
bus.publish('orders.placed', { id: 'o1' });

const tabs = createTestTabs({ attachCrossTab, heartbeatMs: 1000 });
const tab = tabs.open<Topics>('tab-a', 'orders', { tabTimeoutMs: 3000 });
expectTypeOf(tab.bus).toEqualTypeOf<PubSubBus<Topics>>();
expectTypeOf(tab.crossTab).toEqualTypeOf<CrossTab>();
// @ts-expect-error: not an option of cross-tab
createTestTabs({ attachCrossTab, heartbeat: 1000 });
// @ts-expect-error: the tabs need cross-tab
createTestTabs({});
// The set's type names cross-tab's adapter and options.
expectTypeOf(tabs).toEqualTypeOf<TestTabs<CrossTab, CrossTabOptions>>();
