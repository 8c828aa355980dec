// @vitest-environment happy-dom
import { forApp } from '@switchboard/bus/apps';
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createSwitchboardPlugin, injectBus, provideBus, usePublish, useSubscription } from '../src/index.ts';
import { mountWith, testBus } from './support/vue.ts';

describe('provideBus, the plugin and injectBus', () => {
  it('the plugin provides a bus to every component; provideBus overrides it for a subtree', () => {
    const appBus = testBus();
    const subtreeBus = testBus();
    const seen: unknown[] = [];
    const Leaf = defineComponent(() => {
      seen.push(injectBus());
      return () => h('i');
    });
    const Subtree = defineComponent(() => {
      provideBus(subtreeBus);
      return () => h(Leaf);
    });
    const Root = defineComponent(() => () => h('div', [h(Leaf), h(Subtree)]));
    mount(Root, { global: { plugins: [createSwitchboardPlugin({ bus: appBus })] } });
    expect(seen).toEqual([appBus, subtreeBus]);
  });

  it('refuses what is not a bus, saying what it got', () => {
    expect(() => createSwitchboardPlugin({ bus: 'bus' as never })).toThrow(
      'createSwitchboardPlugin({ bus }): bus must be a bus from createPubSub() or a handle from forApp(), got string.',
    );
  });

  it('injectBus names the fix when nothing provides a bus', () => {
    expect(() => mountWith(() => injectBus(), undefined)).toThrow(/^injectBus\(\): no bus to use;/);
  });
});

describe('usePublish', () => {
  it('publishes on the provided bus with the options given, and returns the message', () => {
    const bus = testBus();
    const seen = vi.fn();
    bus.subscribe('cart.added', seen);
    const { result: publish } = mountWith(() => usePublish(), { bus });
    const message = publish('cart.added', { sku: 'a1' }, { correlationId: 'c1' });
    expect(seen.mock.calls[0]![0]).toBe(message);
    expect(message).toMatchObject({ topic: 'cart.added', payload: { sku: 'a1' }, meta: { correlationId: 'c1' } });
  });
});

describe('through a per-app handle', () => {
  it('publishes with the app as source, and its subscriptions end with the component', () => {
    const bus = testBus();
    const orders = forApp(bus, 'orders');
    const seen = vi.fn();
    bus.subscribe('orders.#', seen);
    const handler = vi.fn();
    const { result: publish, wrapper } = mountWith(
      () => {
        useSubscription('inventory.#', handler);
        return usePublish();
      },
      { bus: orders },
    );
    publish('orders.placed', { id: 'o1' });
    bus.publish('inventory.changed', 1);
    expect(seen.mock.calls[0]![0]).toMatchObject({ topic: 'orders.placed', source: 'orders' });
    expect(handler).toHaveBeenCalledTimes(1);
    wrapper.unmount();
    expect(orders.stats().subscriptions).toBe(0);
  });
});
