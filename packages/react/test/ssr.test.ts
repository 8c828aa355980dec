// Server rendering, in Node: the package is imported and rendered with the browser globals
// trapped (React itself is loaded before), and every hook returns its initial value without
// subscribing to anything.
import { createPubSub } from '@switchboard/bus';
import { createElement, StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as HooksModule from '../src/index.ts';
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
