// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, effectScope, h, nextTick, onMounted, ref } from 'vue';
import { createSwitchboardPlugin, useSubscription } from '../src/index.ts';
import { withRetained } from '../../react/test/support/retained.ts';
import { mountWith, testBus } from './support/vue.ts';

describe('useSubscription', () => {
  it('subscribes once the component is mounted, and delivers each message once', () => {
    const bus = testBus();
    const subscribe = vi.spyOn(bus, 'subscribe');
    const handler = vi.fn();
    let subscriptionsAtSetup = -1;
    mountWith(
      () => {
        useSubscription('orders.placed', handler);
        subscriptionsAtSetup = bus.stats().subscriptions;
      },
      { bus },
    );
    expect(subscriptionsAtSetup).toBe(0);
    expect(subscribe).toHaveBeenCalledTimes(1);
    bus.publish('orders.placed', { id: 'o1' });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]![0]).toMatchObject({ topic: 'orders.placed', payload: { id: 'o1' } });
  });

  it('leaves no subscription behind after unmount', () => {
    const bus = testBus();
    const handler = vi.fn();
    const { wrapper } = mountWith(() => useSubscription('orders.#', handler), { bus });
    wrapper.unmount();
    expect(bus.stats().subscriptions).toBe(0);
    bus.publish('orders.placed', 1);
    expect(handler).not.toHaveBeenCalled();
  });

  it('returns a function that stops early', () => {
    const bus = testBus();
    const handler = vi.fn();
    const { result: stop } = mountWith(() => useSubscription('orders.#', handler), { bus });
    stop();
    expect(bus.stats().subscriptions).toBe(0);
    bus.publish('orders.placed', 1);
    expect(handler).not.toHaveBeenCalled();
  });

  it('follows a ref pattern, keeping one subscription', async () => {
    const bus = testBus();
    const handler = vi.fn();
    const pattern = ref('orders.placed');
    mountWith(() => useSubscription(pattern, handler), { bus });
    pattern.value = 'orders.cancelled';
    await nextTick();
    expect(bus.stats().subscriptions).toBe(1);
    bus.publish('orders.placed', 1);
    bus.publish('orders.cancelled', 2);
    expect(handler.mock.calls.map(([message]) => message.topic)).toEqual(['orders.cancelled']);
  });

  it('resubscribes only when the pattern itself changes', async () => {
    const bus = testBus();
    const subscribe = vi.spyOn(bus, 'subscribe');
    const filter = ref(0);
    mountWith(
      () =>
        useSubscription(
          () => (filter.value >= 0 ? 'stock.+' : 'none'),
          () => {},
        ),
      { bus },
    );
    filter.value = 5;
    await nextTick();
    expect(subscribe).toHaveBeenCalledTimes(1);
  });

  it('subscribes only while enabled', async () => {
    const bus = testBus();
    const handler = vi.fn();
    const enabled = ref(false);
    mountWith(() => useSubscription('orders.#', handler, { enabled }), { bus });
    expect(bus.stats().subscriptions).toBe(0);
    bus.publish('orders.placed', 1);
    enabled.value = true;
    await nextTick();
    bus.publish('orders.placed', 2);
    expect(handler.mock.calls.map(([message]) => message.payload)).toEqual([2]);
  });

  it('delivers the retained messages first, once', () => {
    const { bus } = withRetained(testBus());
    bus.publish('config.theme', 'dark', { retain: true });
    const handler = vi.fn();
    mountWith(() => useSubscription('config.+', handler, { retained: true }), { bus });
    bus.publish('config.locale', 'fr', { retain: true });
    expect(handler.mock.calls.map(([message]) => message.payload)).toEqual(['dark', 'fr']);
  });

  it('runs in an effect scope at once, and stops with it', () => {
    const bus = testBus();
    const handler = vi.fn();
    const scope = effectScope();
    scope.run(() => useSubscription('orders.#', handler, { bus }));
    bus.publish('orders.placed', 1);
    scope.stop();
    bus.publish('orders.placed', 2);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('refuses to run outside setup and every effect scope, naming the fix', () => {
    const bus = testBus();
    let error: unknown;
    try {
      useSubscription('orders.#', () => {}, { bus });
    } catch (caught) {
      error = caught;
    }
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toBe(
      "useSubscription(): call it in a component's setup() or inside effectScope().run(); outside them nothing would ever end its subscription.",
    );
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('names the fix when nothing provides a bus', () => {
    expect(() => mountWith(() => useSubscription('a.b', () => {}), undefined)).toThrow(
      'useSubscription(): no bus to use; install createSwitchboardPlugin({ bus }) on the app, call provideBus(bus) in an ' +
        "ancestor's setup, or pass { bus } to the composable.",
    );
  });

  it('a child its parent stops rendering unsubscribes', async () => {
    const bus = testBus();
    const show = ref(true);
    const Child = defineComponent(() => {
      useSubscription('orders.#', () => {});
      return () => h('i');
    });
    const Host = defineComponent(() => () => (show.value ? h(Child) : null));
    mount(Host, { global: { plugins: [createSwitchboardPlugin({ bus })] } });
    expect(bus.stats().subscriptions).toBe(1);
    show.value = false;
    await nextTick();
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('sees the message of a publish made in an onMounted hook of the same component', () => {
    const bus = testBus();
    const handler = vi.fn();
    mountWith(
      () => {
        useSubscription('ready.#', handler);
        onMounted(() => bus.publish('ready.now', null));
      },
      { bus },
    );
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
