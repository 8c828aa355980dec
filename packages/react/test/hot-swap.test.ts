// @vitest-environment happy-dom
// Fast Refresh must hook into React before react-dom loads: this import comes first.
import { performRefresh, register } from './support/refresh.ts';
import { act, render } from '@testing-library/react';
import { createElement, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { useLatest, useSubscription } from '../src/index.ts';
import { withRetained } from './support/retained.ts';
import { providerWith, testBus } from './support/react.ts';

let calls: string[] = [];

function CartBefore() {
  const [state] = useState(() => 'state kept');
  useSubscription('cart.count', (message) => calls.push(`before:${message.payload}`), { retained: true });
  return createElement('p', null, state);
}

function CartAfter() {
  const [state] = useState(() => 'state lost');
  useSubscription('cart.count', (message) => calls.push(`after:${message.payload}`), { retained: true });
  return createElement('p', null, state);
}

function CountBefore() {
  return createElement('p', null, String(useLatest('cart.count')?.payload ?? 'none'));
}

function CountAfter() {
  return createElement('p', null, `count ${useLatest('cart.count')?.payload ?? 'none'}`);
}

describe('a hot swap (React Fast Refresh)', () => {
  it('keeps one subscription and calls only the new implementation, without replaying retained messages', () => {
    const { bus } = withRetained(testBus());
    bus.publish('cart.count', 1, { retain: true });
    calls = [];
    register(CartBefore, 'Cart');
    const { container } = render(createElement(CartBefore), { wrapper: providerWith({ bus }) });
    expect(calls).toEqual(['before:1']);

    register(CartAfter, 'Cart');
    act(() => performRefresh());

    // The swap happened (state kept, effects ran again), and left one subscription.
    expect(container.textContent).toBe('state kept');
    expect(bus.stats().subscriptions).toBe(1);
    act(() => void bus.publish('cart.count', 2, { retain: true }));
    expect(calls).toEqual(['before:1', 'after:2']);
  });

  it('keeps the latest value of useLatest across the swap', () => {
    const bus = testBus();
    register(CountBefore, 'Count');
    const { container } = render(createElement(CountBefore), { wrapper: providerWith({ bus }) });
    act(() => void bus.publish('cart.count', 3));
    register(CountAfter, 'Count');
    act(() => performRefresh());
    expect(container.textContent).toBe('count 3');
    expect(bus.stats().subscriptions).toBe(1);
  });
});
