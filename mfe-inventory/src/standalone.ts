// Development entry (`npm run dev`): the app on its own page, without the shell. It creates
// the bus the shell would otherwise pass in, with cross-tab and history, so two standalone tabs
// already talk to each other. The library build (src/lifecycles.ts) never includes this file.
import { createPubSub } from '@switchboard/bus';
import type { DemoTopics } from '@switchboard/demo-contract';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createHistoryAdapter } from '@switchboard/history';
import { mountInventoryApp } from './inventory-app.ts';

const bus = createPubSub<DemoTopics>({ app: 'mfe-inventory-standalone' });
attachCrossTab(bus, { channel: 'switchboard-demo' });
const history = createHistoryAdapter<DemoTopics>({ dbName: 'switchboard-demo', namespace: 'demo' });
await history.attach(bus);
mountInventoryApp(document.getElementById('root')!, { bus, history });
