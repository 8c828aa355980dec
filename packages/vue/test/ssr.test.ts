// Server rendering, in Node: the package is imported and rendered with the browser globals
// trapped, and every composable keeps its initial value without subscribing to anything.
import { createPubSub } from '@switchboard/bus';
import { createStoreRegistry, defineStore, type Readable } from '@switchboard/store';
import { afterEach, describe, expect, it } from 'vitest';
// Vue's own DOM runtime reads `document` when it loads: Vue is loaded before the traps are set.
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type * as ComposablesModule from '../src/index.ts';
import { type GlobalTraps, trapBrowserGlobals } from '../../react/test/support/browser-globals.ts';
import { withRetained } from '../../react/test/support/retained.ts';

type Composables = typeof ComposablesModule;

/** The composables module, imported by the test once the traps are set. */
let use: Composables;

const EveryComposable = defineComponent(() => {
  use.injectBus();
  use.useSubscription('orders.#', () => {
    throw new Error('delivered on the server');
  });
  use.useSubscription('user.current', () => {}, { retained: true });
  const latest = use.useLatest('orders.placed');
  const user = use.useLatest('user.current', { retained: true });
  const stock = use.useRetained('stock.+');
  const publish = use.usePublish();
  const request = use.useRequest('inventory.reserve');
  const { isLeader, leaderTabId } = use.useLeader();
  const tabs = use.usePresence();
  return () =>
    h(
      'p',
      [
        `latest:${latest.value?.id ?? 'none'}`,
        `user:${user.value?.id ?? 'none'}`,
        `stock:${Object.keys(stock.value).length}`,
        `publish:${typeof publish}`,
        `request:${request.status.value}`,
        `leader:${isLeader.value}/${leaderTabId.value ?? 'none'}`,
        `tabs:${tabs.value.length}`,
      ].join(' '),
    );
});

/** Anything the server must not call: every method throws. */
const untouchable = new Proxy(
  {},
  {
    get: (_target, property) => () => {
      throw new Error(`the server called ${String(property)}()`);
    },
  },
);

let traps: GlobalTraps | undefined;
afterEach(() => traps?.restore());

describe('server rendering', () => {
  it('renders every composable with its initial value, touching no browser global and subscribing to nothing', async () => {
    const { bus } = withRetained(createPubSub({ app: 'ssr', tabId: 'server' }));
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    const subscriptionsBefore = bus.stats().subscriptions;

    // Vue's createSSRApp reads `window` (its devtools hook): made before the traps are set.
    const app = createSSRApp(EveryComposable);
    traps = trapBrowserGlobals();
    use = await import('../src/index.ts');
    app.use(use.createSwitchboardPlugin({ bus, crossTab: untouchable as never, rpc: untouchable as never }));
    const html = await renderToString(app);

    expect(html).toBe('<p>latest:none user:none stock:0 publish:function request:idle leader:false/none tabs:0</p>');
    expect(traps.reads).toEqual([]);
    expect(bus.stats().subscriptions).toBe(subscriptionsBefore);
  });
});

describe('server rendering of stores', () => {
  it("shows a store's initial value and loaded false, subscribing to nothing and touching no browser global", async () => {
    const registry = createStoreRegistry(createPubSub({ app: 'ssr', tabId: 'server' }));
    const local = defineStore({ name: 'ssr.local', owner: 'ssr', scope: 'tab', initial: { qty: 1 } });
    const store = registry.get(local);
    await store.set({ qty: 7 }); // the server's state is not what hydration will start from
    let subscribed = 0;
    const counting: Readable<{ qty: number }> = {
      get: store.get,
      subscribe(listener) {
        subscribed++;
        return store.subscribe(listener);
      },
    };
    const app = createSSRApp(
      defineComponent(() => {
        const { state, loaded } = storeUse.useStore(local);
        const qty = storeUse.useStoreValue(counting, (value) => value.qty);
        return () => h('p', `${state.value.qty} ${qty.value} ${loaded.value}`);
      }),
    );
    traps = trapBrowserGlobals();
    const storeUse = await import('../src/store.ts');
    app.use(storeUse.createStoreRegistryPlugin(registry));
    expect(await renderToString(app)).toBe('<p>1 7 false</p>');
    expect(subscribed).toBe(0);
    expect(traps.reads).toEqual([]);
  });
});
