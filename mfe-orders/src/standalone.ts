// Development entry (`npm run dev`): the app on its own page, without the shell. It creates
// the bus the shell would otherwise pass in, and, since the inventory app is not on this
// origin, answers inventory's RPC methods with a stub, so the checkout saga runs end to end.
// The library build (src/lifecycles.ts) never includes this file.
import { createPubSub } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { InventoryMethods, type DemoTopics, type InventoryRpc } from '@switchboard/demo-contract';
import { createHistoryAdapter } from '@switchboard/history';
import { createRpc } from '@switchboard/patterns';
import { mountOrdersApp } from './orders-app.ts';

const bus = createPubSub<DemoTopics>({ app: 'mfe-orders-standalone' });
attachCrossTab(bus, { channel: 'switchboard-demo' });
const history = createHistoryAdapter<DemoTopics>({ dbName: 'switchboard-demo', namespace: 'demo' });
await history.attach(bus);

const stub = createRpc<InventoryRpc>(bus);
stub.handle(InventoryMethods.stock, () => [
  { sku: 'widget', name: 'Widget (stub)', price: 1250, available: 99 },
  { sku: 'gadget', name: 'Gadget (stub)', price: 4999, available: 99 },
]);
stub.handle(InventoryMethods.reserve, ({ orderId }) => ({ reservationId: `res-${orderId}` }));
stub.handle(InventoryMethods.release, () => ({ released: true }));

mountOrdersApp(document.getElementById('root')!, { bus, history });
