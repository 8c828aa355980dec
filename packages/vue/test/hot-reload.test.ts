// @vitest-environment happy-dom
// Vue's hot module replacement, as the Vite plugin drives it: a component with an __hmrId is
// recorded, and reload() swaps a new definition in, unmounting the old instances and mounting
// new ones.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { type ComponentOptions, defineComponent, h, nextTick } from 'vue';
import { createSwitchboardPlugin, useLatest, useSubscription } from '../src/index.ts';
import { withRetained } from '../../react/test/support/retained.ts';
import { testBus } from './support/vue.ts';

interface HmrRuntime {
  createRecord(id: string, component: ComponentOptions): boolean;
  reload(id: string, component: ComponentOptions): void;
}

function hmrRuntime(): HmrRuntime {
  const runtime = (globalThis as { __VUE_HMR_RUNTIME__?: HmrRuntime }).__VUE_HMR_RUNTIME__;
  if (runtime === undefined) throw new Error('Vue development build without __VUE_HMR_RUNTIME__');
  return runtime;
}

function cart(calls: string[], version: string): ComponentOptions {
  return {
    __hmrId: 'cart',
    setup() {
      useSubscription('cart.count', (message) => calls.push(`${version}:${message.payload}`), { retained: true });
      const latest = useLatest('cart.count');
      return () => h('p', `${version} ${latest.value?.payload ?? 'none'}`);
    },
  } as ComponentOptions;
}

describe('a hot reload (Vue HMR)', () => {
  it('ends the old instance’s subscriptions and calls only the new handler', async () => {
    const { bus } = withRetained(testBus());
    bus.publish('cart.count', 1, { retain: true });
    const calls: string[] = [];
    const before = cart(calls, 'before');
    hmrRuntime().createRecord('cart', before);
    const Host = defineComponent(() => () => h('div', [h(before)]));
    const wrapper = mount(Host, { global: { plugins: [createSwitchboardPlugin({ bus })] } });
    expect(bus.stats().subscriptions).toBe(2); // the handler and useLatest

    hmrRuntime().reload('cart', cart(calls, 'after'));
    await nextTick();
    expect(wrapper.text()).toBe('after none');
    expect(bus.stats().subscriptions).toBe(2);
    bus.publish('cart.count', 2, { retain: true });
    await nextTick();
    // A new instance is a new subscriber: it gets the retained message, as any new mount does.
    expect(calls).toEqual(['before:1', 'after:1', 'after:2']);
    expect(wrapper.text()).toBe('after 2');
  });
});
