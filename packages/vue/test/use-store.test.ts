// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { createStoreRegistry, defineStore, type Readable, type StoreRegistry } from '@switchboard/store';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, effectScope, h, nextTick, watch } from 'vue';
import { createStoreRegistryPlugin, injectStoreRegistry, useStore, useStoreValue } from '../src/store.ts';
import { testBus } from './support/vue.ts';

let stores = 0;

function draftStore() {
  return defineStore({
    name: `test.draft${++stores}`,
    owner: `vue-test-${stores}`,
    scope: 'origin',
    initial: { sku: '', qty: 1 },
  });
}

/** A readable that counts its live subscriptions, around `store`. */
function counted<T>(store: Readable<T>): Readable<T> & { active: () => number } {
  let active = 0;
  return {
    get: () => store.get(),
    subscribe(listener) {
      active++;
      const off = store.subscribe(listener);
      return () => {
        active--;
        off();
      };
    },
    active: () => active,
  };
}

/** Mounts a component running `setup` with the registry provided, rendering `render()` as text. */
function mountWithRegistry(registry: StoreRegistry, setup: () => () => string) {
  return mount(
    defineComponent(() => {
      const render = setup();
      return () => h('p', render());
    }),
    { global: { plugins: [createStoreRegistryPlugin(registry)] } },
  );
}

describe('useStore', () => {
  it('gives the store and refs of its state and loading, following it from mount', async () => {
    const registry = createStoreRegistry(testBus());
    const draft = draftStore();
    let result!: ReturnType<typeof useStore<{ sku: string; qty: number }, object>>;
    const wrapper = mountWithRegistry(registry, () => {
      result = useStore(draft);
      return () => `${result.state.value.qty} ${result.loaded.value}`;
    });
    expect(result.store).toBe(registry.get(draft));
    await result.store.ready;
    await nextTick();
    expect(wrapper.text()).toBe('1 true');
    await result.store.update((state) => ({ ...state, qty: 4 }));
    await nextTick();
    expect(wrapper.text()).toBe('4 true');
  });

  it('stops following the store when the component unmounts', async () => {
    const registry = createStoreRegistry(testBus());
    const draft = draftStore();
    const store = await registry.preload(draft);
    let state!: ReturnType<typeof useStore<{ sku: string; qty: number }, object>>['state'];
    const wrapper = mountWithRegistry(registry, () => {
      state = useStore(draft).state;
      return () => String(state.value.qty);
    });
    wrapper.unmount();
    await store.set({ sku: 'x', qty: 9 });
    expect(state.value.qty).toBe(1);
  });

  it('in an effect scope, with the registry as an option, follows at once and ends with the scope', async () => {
    const registry = createStoreRegistry(testBus());
    const local = defineStore({ name: 'test.local', owner: registry.app, scope: 'tab', initial: 0 });
    const scope = effectScope();
    const result = scope.run(() => useStore(local, { registry, storeId: 'test.local.a' }))!;
    expect(result.loaded.value).toBe(true);
    await result.store.set(2);
    expect(result.state.value).toBe(2);
    scope.stop();
    await result.store.set(3);
    expect(result.state.value).toBe(2);
    expect(registry.has('test.local.a')).toBe(true);
  });

  it('names the composable and the store when no registry is given', () => {
    const draft = draftStore();
    const scope = effectScope();
    let error: unknown;
    scope.run(() => {
      try {
        useStore(draft);
      } catch (thrown) {
        error = thrown;
      }
    });
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain(`useStore('${draft.name}'): no store registry`);
    expect(() => scope.run(() => injectStoreRegistry())).toThrow('injectStoreRegistry(): no store registry');
  });
});

describe('useStoreValue', () => {
  it('changes the ref only when the selected slice changes, once per change', async () => {
    const registry = createStoreRegistry(testBus());
    const inner = await registry.preload(draftStore());
    const store = counted(inner);
    const seen: number[] = [];
    const wrapper = mountWithRegistry(registry, () => {
      const qty = useStoreValue(store, (state) => state.qty);
      watch(qty, (value) => void seen.push(value), { flush: 'sync' });
      return () => String(qty.value);
    });
    expect(store.active()).toBe(1);
    await inner.update((state) => ({ ...state, sku: 'A-1' }));
    await inner.update((state) => ({ ...state, qty: 2 }));
    await inner.update((state) => ({ ...state, qty: 3 }));
    await nextTick();
    expect(seen).toEqual([2, 3]);
    expect(wrapper.text()).toBe('3');
    wrapper.unmount();
    expect(store.active()).toBe(0);
  });

  it('keeps the previous slice when equals says it is the same', async () => {
    const registry = createStoreRegistry(testBus());
    const inner = await registry.preload(draftStore());
    const scope = effectScope();
    const pair = scope.run(() =>
      useStoreValue(
        inner,
        (state) => [state.sku],
        (a, b) => a[0] === b[0],
      ),
    )!;
    const first = pair.value;
    await inner.update((state) => ({ ...state, qty: 5 }));
    expect(pair.value).toBe(first);
    await inner.update((state) => ({ ...state, sku: 'B' }));
    expect(pair.value).toEqual(['B']);
    scope.stop();
  });

  it('refuses what is not a readable, naming what to pass', () => {
    const scope = effectScope();
    expect(() => scope.run(() => useStoreValue({} as never))).toThrow('useStoreValue(): expected a store');
  });
});
