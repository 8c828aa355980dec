// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import {
  createStoreRegistry,
  defineStore,
  type NoCommands,
  type Readable,
  type StoreDefinition,
  type StoreRegistry,
} from '@switchboard/store';
import { act, render, renderHook, screen } from '@testing-library/react';
import { createElement, type ReactNode, Suspense, useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { StoreRegistryProvider, useStore, useStoreValue } from '../src/store.ts';
import { renderError, testBus } from './support/react.ts';

let stores = 0;

/** A registry of its own and an origin store no other test uses. */
function setup(): { registry: StoreRegistry; wrapper: (props: { children: ReactNode }) => ReactNode } {
  const registry = createStoreRegistry(testBus());
  const wrapper = ({ children }: { children: ReactNode }) =>
    createElement(
      StoreRegistryProvider,
      { registry },
      createElement(Suspense, { fallback: createElement('p', null, 'loading') }, children),
    );
  return { registry, wrapper };
}

function draftStore() {
  return defineStore({
    name: `test.draft${++stores}`,
    owner: `react-test-${stores}`,
    scope: 'origin',
    initial: { sku: '', qty: 1, notes: [] as string[] },
  });
}

/** A readable that counts its live subscriptions, around `store`. */
function counted<T>(store: Readable<T>): Readable<T> & { active: () => number; made: () => number } {
  let active = 0;
  let made = 0;
  return {
    get: () => store.get(),
    subscribe(listener) {
      active++;
      made++;
      const off = store.subscribe(listener);
      return () => {
        active--;
        off();
      };
    },
    active: () => active,
    made: () => made,
  };
}

type Draft = { sku: string; qty: number; notes: string[] };
type DraftDefinition = ReturnType<typeof draftStore>;

function SuspendingQty({ draft }: { draft: DraftDefinition }) {
  const store = useStore(draft);
  return createElement('output', null, `qty ${useStoreValue(store, (state) => state.qty)}`);
}

function Both({ draft, local }: { draft: DraftDefinition; local: StoreDefinition<number, NoCommands> }) {
  const a = useStoreValue(useStore(draft), (state) => state.qty);
  const b = useStoreValue(useStore(local));
  return createElement('output', null, `${a} ${b}`);
}

/** Shows the quantity; `rendered` and `committed` record each render and each committed value. */
function Qty({ store, rendered, committed }: { store: Readable<Draft>; rendered: number[]; committed?: number[] }) {
  const qty = useStoreValue(store, (state) => state.qty);
  rendered.push(qty);
  useEffect(() => void committed?.push(qty), [qty, committed]);
  return createElement('output', null, String(qty));
}

describe('useStore', () => {
  it('suspends until the store has its state, then renders with it', async () => {
    const { registry, wrapper } = setup();
    const draft = draftStore();
    render(createElement(SuspendingQty, { draft }), { wrapper });
    expect(screen.getByText('loading')).toBeTruthy();
    await act(() => registry.get(draft).ready);
    expect(screen.getByRole('status').textContent).toBe('qty 1');
  });

  it('does not suspend for a store that is already loaded', async () => {
    const { registry, wrapper } = setup();
    const draft = draftStore();
    await registry.preload(draft);
    const local = defineStore({ name: 'test.local', owner: 'x', scope: 'tab', initial: 5 });
    render(createElement(Both, { draft, local }), { wrapper });
    expect(screen.getByRole('status').textContent).toBe('1 5');
  });

  it("gives every component the registry's one instance per storeId", async () => {
    const { registry, wrapper } = setup();
    const draft = draftStore();
    await registry.preload(draft, { storeId: 'test.draft.a' });
    const { result } = renderHook(
      () => [useStore(draft, { storeId: 'test.draft.a' }), useStore(draft, { storeId: 'test.draft.a' })],
      { wrapper },
    );
    expect(result.current[0]).toBe(result.current[1]);
    expect(result.current[0]).toBe(registry.get(draft, { storeId: 'test.draft.a' }));
    expect(registry.has('test.draft.a')).toBe(true);
  });

  it('takes a registry as an option, without a provider', () => {
    const registry = createStoreRegistry(testBus());
    const local = defineStore({ name: 'test.option', owner: 'x', scope: 'tab', initial: 'v' });
    const { result } = renderHook(() => useStoreValue(useStore(local, { registry })));
    expect(result.current).toBe('v');
  });

  it('names the hook and the store when no registry is given', () => {
    const draft = draftStore();
    const error = renderError(() => renderHook(() => useStore(draft)));
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
    expect(error.message).toContain(`useStore('${draft.name}'): no store registry`);
    expect(error.message).toContain('StoreRegistryProvider');
  });
});

describe('useStoreValue', () => {
  it('re-renders only when the selected slice changes', async () => {
    const { registry, wrapper } = setup();
    const draft = draftStore();
    const store = await registry.preload(draft);
    const rendered: number[] = [];
    render(createElement(Qty, { store, rendered }), { wrapper });
    const afterMount = rendered.length;
    await act(() => store.update((state) => ({ ...state, sku: 'A-1' })));
    expect(rendered.length).toBe(afterMount);
    await act(() => store.update((state) => ({ ...state, qty: 3 })));
    expect(screen.getByRole('status').textContent).toBe('3');
    expect(rendered.length).toBeGreaterThan(afterMount);
  });

  it('keeps the previous slice when equals says it is the same', async () => {
    const { registry, wrapper } = setup();
    const store = await registry.preload(draftStore());
    const sameNotes = (a: string[], b: string[]) => a.length === b.length && a.every((note, i) => note === b[i]);
    const { result } = renderHook(() => useStoreValue(store, (state) => [...state.notes], sameNotes), { wrapper });
    const first = result.current;
    await act(() => store.update((state) => ({ ...state, qty: 2 })));
    expect(result.current).toBe(first);
    await act(() => store.update((state) => ({ ...state, notes: ['fragile'] })));
    expect(result.current).toEqual(['fragile']);
  });

  it('under StrictMode subscribes once, delivers each change once and leaves nothing after unmount', async () => {
    const { registry } = setup();
    const inner = await registry.preload(draftStore());
    const store = counted(inner);
    const rendered: number[] = [];
    const committed: number[] = [];
    const { unmount } = render(createElement(Qty, { store, rendered, committed }));
    expect(store.active()).toBe(1);
    committed.length = 0; // StrictMode ran the mount effect twice
    rendered.length = 0;
    await act(() => inner.update((state) => ({ ...state, qty: 2 })));
    await act(() => inner.update((state) => ({ ...state, qty: 3 })));
    expect(committed).toEqual([2, 3]);
    expect(rendered).toEqual([2, 2, 3, 3]); // StrictMode renders twice, from one notification each
    expect(store.active()).toBe(1);
    unmount();
    expect(store.active()).toBe(0);
    await act(() => inner.update((state) => ({ ...state, qty: 4 })));
    expect(committed).toEqual([2, 3]);
  });

  it('calls the latest selector without resubscribing', async () => {
    const { registry, wrapper } = setup();
    const inner = await registry.preload(draftStore());
    const store = counted(inner);
    const { result, rerender } = renderHook(
      ({ field }: { field: 'qty' | 'sku' }) => useStoreValue(store, (state) => state[field]),
      { wrapper, initialProps: { field: 'qty' } },
    );
    const made = store.made();
    expect(result.current).toBe(1);
    rerender({ field: 'sku' });
    expect(result.current).toBe('');
    await act(() => inner.update((state) => ({ ...state, sku: 'B-2' })));
    expect(result.current).toBe('B-2');
    expect(store.made()).toBe(made);
    expect(store.active()).toBe(1);
  });

  it('refuses what is not a readable, naming what to pass', () => {
    const error = renderError(() => renderHook(() => useStoreValue({} as never)));
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
    expect(error.message).toContain('useStoreValue(): expected a store');
  });
});
