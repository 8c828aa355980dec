/** What the Vue suites share: a bus per test, mounting a composable in a component, auto-unmount. */
import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach } from 'vitest';
import { defineComponent, h } from 'vue';
import { createSwitchboardPlugin, type SwitchboardPluginOptions } from '../../src/index.ts';

enableAutoUnmount(afterEach);

let buses = 0;

/** A bus of its own for one test; its errors are collected instead of rethrown. */
export function testBus(): PubSubBus & { readonly errors: unknown[] } {
  const errors: unknown[] = [];
  const bus = createPubSub({
    app: `vue-test-${++buses}`,
    tabId: `tab-${buses}`,
    onError: (error) => errors.push(error),
  });
  return Object.assign(bus, { errors });
}

/** A mounted component whose setup ran `composable`; `result` is what it returned. */
export interface Mounted<T> {
  readonly result: T;
  readonly wrapper: VueWrapper;
}

/**
 * Mounts a component whose setup runs `composable`, with the plugin of `provided` installed (none
 * when undefined), rendering `render(result)` as text.
 */
export function mountWith<T>(
  composable: () => T,
  provided: SwitchboardPluginOptions | undefined,
  render: (result: T) => string = () => '',
): Mounted<T> {
  let result!: T;
  const Probe = defineComponent(() => {
    result = composable();
    return () => h('p', render(result));
  });
  const wrapper = mount(Probe, { global: { plugins: provided ? [createSwitchboardPlugin(provided)] : [] } });
  return { result, wrapper };
}
