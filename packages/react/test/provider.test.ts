// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { forApp, isPermissionError } from '@switchboard/bus/apps';
import { renderHook } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { SwitchboardProvider, useBus, usePublish, useSubscription } from '../src/index.ts';
import { providerWith, renderError, testBus } from './support/react.ts';

describe('SwitchboardProvider and useBus', () => {
  it('gives the hooks below it its bus; the nearest provider wins', () => {
    const outer = testBus();
    const inner = testBus();
    const wrapper = ({ children }: { children: ReactNode }) =>
      createElement(SwitchboardProvider, { bus: outer }, createElement(SwitchboardProvider, { bus: inner }, children));
    const { result } = renderHook(() => useBus(), { wrapper });
    expect(result.current).toBe(inner);
  });

  it('names the hook and the fix outside every provider', () => {
    const error = renderError(() => renderHook(() => useBus()));
    expect(error.message).toBe(
      'useBus(): no bus to use; render the component inside <SwitchboardProvider bus={bus}> or pass { bus } to the hook.',
    );
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
  });

  it('refuses what is not a bus, saying what it got', () => {
    const error = renderError(() =>
      renderHook(() => null, { wrapper: providerWith({ bus: { publish: 1 } as never }) }),
    );
    expect(error.message).toBe(
      '<SwitchboardProvider bus>: bus must be a bus from createPubSub() or a handle from forApp(), got an object without subscribe/publish.',
    );
  });
});

describe('usePublish', () => {
  it('publishes on the provider bus with the options given', () => {
    const bus = testBus();
    const seen = vi.fn();
    bus.subscribe('cart.added', seen);
    const { result } = renderHook(() => usePublish(), { wrapper: providerWith({ bus }) });
    const message = result.current('cart.added', { sku: 'a1' }, { correlationId: 'c1' });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0]![0]).toMatchObject({
      topic: 'cart.added',
      payload: { sku: 'a1' },
      meta: { correlationId: 'c1' },
    });
    expect(message).toBe(seen.mock.calls[0]![0]);
  });

  it('is the same function across renders, and a new one for a new bus', () => {
    const first = testBus();
    const second = testBus();
    const { result, rerender } = renderHook(({ bus }) => usePublish({ bus }), { initialProps: { bus: first } });
    const publish = result.current;
    rerender({ bus: first });
    expect(result.current).toBe(publish);
    rerender({ bus: second });
    expect(result.current).not.toBe(publish);
  });
});

describe('through a per-app handle', () => {
  it('publishes with the app as source, and its subscriptions end with the component', () => {
    const bus = testBus();
    const orders = forApp(bus, 'orders');
    const seen = vi.fn();
    bus.subscribe('orders.#', seen);
    const handler = vi.fn();
    const { result, unmount } = renderHook(
      () => {
        useSubscription('inventory.#', handler);
        return usePublish();
      },
      { wrapper: providerWith({ bus: orders }) },
    );
    result.current('orders.placed', { id: 'o1' });
    bus.publish('inventory.changed', 1);
    expect(seen.mock.calls[0]![0]).toMatchObject({ topic: 'orders.placed', source: 'orders' });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(orders.stats().subscriptions).toBe(1);
    unmount();
    expect(orders.stats().subscriptions).toBe(0);
  });

  it('a subscription the manifest does not allow fails with the denial', () => {
    const bus = testBus();
    const orders = forApp(bus, 'orders', { permissions: { publish: ['orders.#'], subscribe: ['orders.#'] } });
    const error = renderError(() =>
      renderHook(() => useSubscription('payments.#', () => {}), { wrapper: providerWith({ bus: orders }) }),
    );
    expect(isPermissionError(error)).toBe(true);
  });
});
