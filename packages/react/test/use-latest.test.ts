// @vitest-environment happy-dom
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useLatest } from '../src/index.ts';
import { withRetained } from './support/retained.ts';
import { providerWith, testBus } from './support/react.ts';

describe('useLatest', () => {
  it('is undefined until a message arrives, then the latest one', () => {
    const bus = testBus();
    const { result } = renderHook(() => useLatest('stock.a1'), { wrapper: providerWith({ bus }) });
    expect(result.current).toBeUndefined();
    act(() => void bus.publish('stock.a1', { available: 3 }));
    expect(result.current?.payload).toEqual({ available: 3 });
    act(() => void bus.publish('stock.a1', { available: 2 }));
    expect(result.current?.payload).toEqual({ available: 2 });
  });

  it('follows a pattern: the latest of any matching topic', () => {
    const bus = testBus();
    const { result } = renderHook(() => useLatest('stock.+'), { wrapper: providerWith({ bus }) });
    act(() => {
      bus.publish('stock.a1', 1);
      bus.publish('stock.b2', 2);
      bus.publish('other.a1', 3);
    });
    expect(result.current).toMatchObject({ topic: 'stock.b2', payload: 2 });
  });

  it('holds one subscription under StrictMode and none after unmount', () => {
    const bus = testBus();
    const { unmount } = renderHook(() => useLatest('stock.a1'), { wrapper: providerWith({ bus }) });
    expect(bus.stats().subscriptions).toBe(1);
    unmount();
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('renders once per message', () => {
    const bus = testBus();
    const renders: unknown[] = [];
    renderHook(() => renders.push(useLatest('stock.a1')?.payload), {
      wrapper: providerWith({ bus }),
      reactStrictMode: false,
    });
    act(() => void bus.publish('stock.a1', 7));
    expect(renders).toEqual([undefined, 7]);
  });

  it('starts over for a new topic', () => {
    const bus = testBus();
    const { result, rerender } = renderHook(({ topic }) => useLatest(topic), {
      wrapper: providerWith({ bus }),
      initialProps: { topic: 'stock.a1' },
    });
    act(() => void bus.publish('stock.a1', 1));
    rerender({ topic: 'stock.b2' });
    expect(result.current).toBeUndefined();
    expect(bus.stats().subscriptions).toBe(1);
    act(() => void bus.publish('stock.a1', 2));
    expect(result.current).toBeUndefined();
  });

  it('with retained, shows the retained message in the very first render', () => {
    const { bus } = withRetained(testBus());
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    const shown: unknown[] = [];
    renderHook(() => shown.push(useLatest('user.current', { retained: true })?.payload), {
      wrapper: providerWith({ bus }),
    });
    expect(shown).not.toContain(undefined);
    expect(shown.at(-1)).toEqual({ name: 'Ada' });
    expect(bus.stats().subscriptions).toBe(1);
  });

  it('with retained, a replay on remount changes nothing (no extra render)', () => {
    const { bus } = withRetained(testBus());
    bus.publish('user.current', { name: 'Ada' }, { retain: true });
    const ids: unknown[] = [];
    renderHook(() => ids.push(useLatest('user.current', { retained: true })?.id), { wrapper: providerWith({ bus }) });
    // StrictMode renders twice; the value is the same message every time, and no render follows the subscription.
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });
});
