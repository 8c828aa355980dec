// Server rendering, in Node: the package is imported and rendered with the browser globals
// trapped (React itself is loaded before), and every hook returns its initial value without
// subscribing to anything.
import { createPubSub } from '@switchboard/bus';
import { createStoreRegistry, defineStore, type NoCommands, type StoreDefinition } from '@switchboard/store';
import { createElement, StrictMode, Suspense } from 'react';
import { renderToString } from 'react-dom/server';
import { prerender } from 'react-dom/static';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as HooksModule from '../src/index.ts';
import type * as StoreHooksModule from '../src/store.ts';
import { withRetained } from './support/retained.ts';
import { type GlobalTraps, trapBrowserGlobals } from './support/browser-globals.ts';

type Hooks = typeof HooksModule;

function EveryHook({ hooks }: { hooks: Hooks }) {
  hooks.useBus();
  hooks.useSubscription('orders.#', () => {
    throw new Error('delivered on the server');
  });
  hooks.useSubscription('user.current', () => {}, { retained: true });
  const latest = hooks.useLatest('orders.placed');
  const user = hooks.useLatest('user.current', { retained: true });
  const stock = hooks.useRetained('stock.+');
  const publish = hooks.usePublish();
  const request = hooks.useRequest('inventory.reserve');
  const leader = hooks.useLeader();
  const tabs = hooks.usePresence();
  return createElement(
    'p',
    null,
    [
      `latest:${latest?.id ?? 'none'}`,
      `user:${user?.id ?? 'none'}`,
      `stock:${Object.keys(stock).length}`,
      `publish:${typeof publish}`,
      `request:${request.status}`,
      `leader:${leader.isLeader}/${leader.leaderTabId ?? 'none'}`,
      `tabs:${tabs.length}`,
    ].join(' '),
  );
}

function WithoutCrossTabOrRpc({ hooks }: { hooks: Hooks }) {
  const leader = hooks.useLeader();
  const request = hooks.useRequest('a.b');
  return createElement('p', null, `${leader.isLeader} ${hooks.usePresence().length} ${request.status}`);
}

type StoreHooks = typeof StoreHooksModule;

function StoreQty({
  hooks,
  definition,
}: {
  hooks: StoreHooks;
  definition: StoreDefinition<{ qty: number }, NoCommands>;
}) {
  return createElement(
    'i',
    null,
    hooks.useStoreValue(hooks.useStore(definition), (state) => state.qty),
  );
}

function StoreText({ hooks, definition }: { hooks: StoreHooks; definition: StoreDefinition<string, NoCommands> }) {
  return createElement('b', null, hooks.useStoreValue(hooks.useStore(definition)));
}

let traps: GlobalTraps;
beforeEach(() => {
  traps = trapBrowserGlobals();
});
afterEach(() => traps.restore());

/** Anything the server must not call: every method throws. */
const untouchable = new Proxy(
  {},
  {
    get: (_target, property) => () => {
      throw new Error(`the server called ${String(property)}()`);
    },
  },
);

describe('server rendering', () => {
  it('renders every hook with its initial value, touching no browser global and subscribing to nothing', async () => {
    const { bus } = withRetained(createPubSub({ app: 'ssr', tabId: 'server' }));
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    const subscriptionsBefore = bus.stats().subscriptions;

    const hooks = await import('../src/index.ts');

    const html = renderToString(
      createElement(
        StrictMode,
        null,
        createElement(
          hooks.SwitchboardProvider,
          { bus, crossTab: untouchable as never, rpc: untouchable as never },
          createElement(EveryHook, { hooks }),
        ),
      ),
    );

    expect(html).toBe('<p>latest:none user:none stock:0 publish:function request:idle leader:false/none tabs:0</p>');
    expect(traps.reads).toEqual([]);
    expect(bus.stats().subscriptions).toBe(subscriptionsBefore);
  });

  it('renders without a cross-tab or an rpc (the server has neither)', async () => {
    const bus = createPubSub({ app: 'ssr', tabId: 'server' });
    const hooks = await import('../src/index.ts');
    const html = renderToString(
      createElement(hooks.SwitchboardProvider, { bus }, createElement(WithoutCrossTabOrRpc, { hooks })),
    );
    expect(html).toBe('<p>false 0 idle</p>');
    expect(traps.reads).toEqual([]);
  });
});

describe('server rendering of stores', () => {
  it("shows a store's initial value, the Suspense fallback while it loads, and touches no browser global", async () => {
    const storeHooks = await import('../src/store.ts');
    const registry = createStoreRegistry(createPubSub({ app: 'ssr', tabId: 'server' }));
    const local = defineStore({ name: 'ssr.local', owner: 'ssr', scope: 'tab', initial: { qty: 1 } });
    const shared = defineStore({ name: 'ssr.shared', owner: 'ssr', scope: 'origin', initial: 'none' });
    const written = registry.get(local);
    void written.set({ qty: 7 }); // the server's state is not what hydration will start from
    const app = createElement(
      StrictMode,
      null,
      createElement(
        storeHooks.StoreRegistryProvider,
        { registry },
        createElement(StoreQty, { hooks: storeHooks, definition: local }),
        createElement(
          Suspense,
          { fallback: createElement('p', null, 'loading') },
          createElement(StoreText, { hooks: storeHooks, definition: shared }),
        ),
      ),
    );
    // renderToString does not wait: the loading store's boundary is its fallback.
    const html = renderToString(app);
    expect(html.startsWith('<i>1</i><!--$!-->')).toBe(true);
    expect(html.endsWith('<p>loading</p><!--/$-->')).toBe(true);
    // A streaming render waits for the store, then shows its initial value.
    const { prelude } = await prerender(app);
    const streamed = await new Response(prelude).text();
    expect(streamed).toContain('<i>1</i>');
    expect(streamed).toContain('<b>none</b>');
    expect(streamed).not.toContain('loading');
    expect(traps.reads).toEqual([]);
  });
});
