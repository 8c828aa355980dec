// @vitest-environment happy-dom
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { type MessagesByTopic, useRetained } from '../src/index.ts';
import { withRetained } from './support/retained.ts';
import { providerWith, testBus } from './support/react.ts';

function payloads(messages: MessagesByTopic): Record<string, unknown> {
  return Object.fromEntries(Object.entries(messages).map(([topic, message]) => [topic, message.payload]));
}

describe('useRetained', () => {
  it('holds the retained message of each matching topic from the first render', () => {
    const { bus } = withRetained(testBus());
    bus.publish('stock.a1', 3, { retain: true });
    bus.publish('stock.b2', 5, { retain: true });
    bus.publish('price.a1', 9, { retain: true });
    const renders: Record<string, unknown>[] = [];
    renderHook(() => renders.push(payloads(useRetained('stock.+'))), { wrapper: providerWith({ bus }) });
    expect(renders[0]).toEqual({ 'stock.a1': 3, 'stock.b2': 5 });
    expect(renders.every((seen) => Object.keys(seen).length === 2)).toBe(true);
  });

  it('updates a topic with each live message, as a new object', () => {
    const { bus } = withRetained(testBus());
    bus.publish('stock.a1', 3, { retain: true });
    const { result } = renderHook(() => useRetained('stock.+'), { wrapper: providerWith({ bus }) });
    const before = result.current;
    act(() => void bus.publish('stock.a1', 2, { retain: true }));
    act(() => void bus.publish('stock.c3', 1));
    expect(payloads(result.current)).toEqual({ 'stock.a1': 2, 'stock.c3': 1 });
    expect(payloads(before)).toEqual({ 'stock.a1': 3 });
  });

  it('drops the topic updated longest ago past maxTopics', () => {
    const { bus } = withRetained(testBus());
    const { result } = renderHook(() => useRetained('stock.+', { maxTopics: 2 }), { wrapper: providerWith({ bus }) });
    act(() => {
      bus.publish('stock.1', 1);
      bus.publish('stock.2', 2);
      bus.publish('stock.1', 11);
      bus.publish('stock.3', 3);
    });
    expect(payloads(result.current)).toEqual({ 'stock.1': 11, 'stock.3': 3 });
  });

  it('leaves no subscription after unmount', () => {
    const { bus } = withRetained(testBus());
    const { unmount } = renderHook(() => useRetained('stock.+'), { wrapper: providerWith({ bus }) });
    expect(bus.stats().subscriptions).toBe(1);
    unmount();
    expect(bus.stats().subscriptions).toBe(0);
  });

  it('fails with the import to add when the bus keeps no retained messages', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bus = testBus();
    bus.subscribe = ((pattern: string, _handler: unknown, options?: { retained?: boolean }) => {
      // What the bus says without attachRetained.
      if (options?.retained)
        throw new Error(`subscribe('${pattern}', { retained: true }): call attachRetained(bus) first.`);
      return () => {};
    }) as typeof bus.subscribe;
    expect(() => renderHook(() => useRetained('stock.+'), { wrapper: providerWith({ bus }) })).toThrow(
      /attachRetained/,
    );
  });

  it('refuses a maxTopics that is not a positive integer', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { bus } = withRetained(testBus());
    expect(() =>
      renderHook(() => useRetained('stock.+', { maxTopics: 0 }), { wrapper: providerWith({ bus }) }),
    ).toThrow("useRetained('stock.+', { maxTopics }): expected a positive integer, got 0.");
  });
});
