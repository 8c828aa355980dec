// @vitest-environment happy-dom
import type { Message } from '@switchboard/bus';
import { act, render, renderHook } from '@testing-library/react';
import { createElement, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { useSubscription } from '../src/index.ts';
import { withRetained } from './support/retained.ts';
import { providerWith, testBus } from './support/react.ts';

function Label({ prefix, seen }: { prefix: string; seen: string[] }) {
  useSubscription('cart.added', (message: Message<{ sku: string }>) => seen.push(`${prefix}:${message.payload.sku}`));
  return null;
}

function Count() {
  const [count, setCount] = useState(0);
  useSubscription('clicks.#', () => setCount((n) => n + 1));
  return createElement('output', null, String(count));
}

describe('useSubscription', () => {
  it('subscribes once under StrictMode and delivers each message once', () => {
    const bus = testBus();
    const subscribe = vi.spyOn(bus, 'subscribe');
    const handler = vi.fn();
    renderHook(() => useSubscription('orders.placed', handler), { wrapper: providerWith({ bus }) });
    // StrictMode mounted, unmounted and mounted the effect again: one subscription is left.
    expect(subscribe).toHaveBeenCalledTimes(2);
    expect(bus.stats().subscriptions).toBe(1);
    act(() => void bus.publish('orders.placed', { id: 'o1' }));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]![0]).toMatchObject({ topic: 'orders.placed', payload: { id: 'o1' } });
  });

  it('leaves no subscription behind after unmount and delivers nothing more', () => {
    const bus = testBus();
    const handler = vi.fn();
    const { unmount } = renderHook(() => useSubscription('orders.#', handler), { wrapper: providerWith({ bus }) });
    unmount();
    expect(bus.stats().subscriptions).toBe(0);
    bus.publish('orders.placed', { id: 'o1' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('calls the latest handler after a re-render without resubscribing', () => {
    const bus = testBus();
    const subscribe = vi.spyOn(bus, 'subscribe');
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = renderHook(({ handler }) => useSubscription('cart.added', handler), {
      wrapper: providerWith({ bus }),
      initialProps: { handler: first },
    });
    const subscriptions = subscribe.mock.calls.length;
    rerender({ handler: second });
    expect(subscribe).toHaveBeenCalledTimes(subscriptions);
    bus.publish('cart.added', { sku: 'a' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('reads state of the render that handled the message (a handler closing over props)', () => {
    const bus = testBus();
    const seen: string[] = [];
    const wrapper = providerWith({ bus });
    const { rerender } = render(createElement(Label, { prefix: 'a', seen }), { wrapper });
    bus.publish('cart.added', { sku: 'x' });
    rerender(createElement(Label, { prefix: 'b', seen }));
    bus.publish('cart.added', { sku: 'y' });
    expect(seen).toEqual(['a:x', 'b:y']);
  });

  it('moves to a new pattern: the old one delivers nothing more, one subscription stays', () => {
    const bus = testBus();
    const handler = vi.fn();
    const { rerender } = renderHook(({ pattern }) => useSubscription(pattern, handler), {
      wrapper: providerWith({ bus }),
      initialProps: { pattern: 'orders.placed' },
    });
    rerender({ pattern: 'orders.cancelled' });
    expect(bus.stats().subscriptions).toBe(1);
    bus.publish('orders.placed', { id: 'o1' });
    bus.publish('orders.cancelled', { id: 'o2' });
    expect(handler.mock.calls.map(([message]) => message.topic)).toEqual(['orders.cancelled']);
  });

  it('subscribes only while enabled', () => {
    const bus = testBus();
    const handler = vi.fn();
    const { rerender } = renderHook(({ enabled }) => useSubscription('orders.#', handler, { enabled }), {
      wrapper: providerWith({ bus }),
      initialProps: { enabled: false },
    });
    expect(bus.stats().subscriptions).toBe(0);
    bus.publish('orders.placed', 1);
    rerender({ enabled: true });
    bus.publish('orders.placed', 2);
    expect(handler.mock.calls.map(([message]) => message.payload)).toEqual([2]);
  });

  it('takes a bus as an option, without a provider', () => {
    const bus = testBus();
    const handler = vi.fn();
    renderHook(() => useSubscription('a.b', handler, { bus }));
    bus.publish('a.b', 1);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('names the hook and the fix when there is no bus', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => useSubscription('a.b', () => {}))).toThrow(
      /useSubscription\(\): no bus to use; render the component inside <SwitchboardProvider bus=\{bus\}>/,
    );
  });

  it('setState from a handler re-renders the component', () => {
    const bus = testBus();
    const { container } = render(createElement(Count), { wrapper: providerWith({ bus }) });
    act(() => {
      bus.publish('clicks.a', null);
      bus.publish('clicks.b', null);
    });
    expect(container.textContent).toBe('2');
  });

  describe('with retained messages', () => {
    it('delivers each retained message once through StrictMode double mount', () => {
      const { bus, replays } = withRetained(testBus());
      bus.publish('config.theme', 'dark', { retain: true });
      bus.publish('config.locale', 'fr', { retain: true });
      const handler = vi.fn();
      renderHook(() => useSubscription('config.+', handler, { retained: true }), { wrapper: providerWith({ bus }) });
      expect(replays()).toBe(2);
      expect(handler.mock.calls.map(([message]) => message.payload)).toEqual(['dark', 'fr']);
      bus.publish('config.theme', 'light', { retain: true });
      expect(handler.mock.calls.map(([message]) => message.payload)).toEqual(['dark', 'fr', 'light']);
    });

    it('replays again for a new pattern', () => {
      const { bus } = withRetained(testBus());
      bus.publish('config.theme', 'dark', { retain: true });
      const handler = vi.fn();
      const { rerender } = renderHook(({ pattern }) => useSubscription(pattern, handler, { retained: true }), {
        wrapper: providerWith({ bus }),
        initialProps: { pattern: 'config.theme' },
      });
      rerender({ pattern: 'config.#' });
      expect(handler.mock.calls.map(([message]) => message.payload)).toEqual(['dark', 'dark']);
    });

    it('still delivers live messages that are not retained', () => {
      const { bus } = withRetained(testBus());
      const handler = vi.fn();
      renderHook(() => useSubscription('config.+', handler, { retained: true }), { wrapper: providerWith({ bus }) });
      bus.publish('config.theme', 'dark');
      bus.publish('config.theme', 'dark');
      expect(handler).toHaveBeenCalledTimes(2);
    });
  });
});
