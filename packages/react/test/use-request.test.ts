// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { createRpc, type RpcContext } from '@switchboard/patterns';
import { createFakeClock } from '@switchboard/testing';
import { act, render, renderHook, waitFor } from '@testing-library/react';
import { createElement, useEffect } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { useRequest } from '../src/index.ts';
import { providerWith, renderError, testBus } from './support/react.ts';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function CallsOnMount({ call }: { call: () => void }) {
  useEffect(() => call(), [call]);
  return null;
}

/** Calls from its child's mount effect, which runs before its own effects. */
function Caller({ statuses }: { statuses: string[] }) {
  const request = useRequest('math.answer');
  statuses.push(request.status);
  return createElement(CallsOnMount, { call: request.call });
}

function setup() {
  const bus = testBus();
  const clock = createFakeClock();
  const rpc = createRpc(bus, { clock });
  return { bus, clock, rpc, wrapper: providerWith({ bus, rpc }) };
}

describe('useRequest', () => {
  it('goes from idle to pending to success with the result', async () => {
    const { rpc, wrapper } = setup();
    const answer = deferred<{ reservationId: string }>();
    const handler = vi.fn((_params: { sku: string }) => answer.promise);
    rpc.handle('inventory.reserve', handler);
    const { result } = renderHook(() => useRequest('inventory.reserve'), { wrapper });
    expect(result.current.status).toBe('idle');
    act(() => result.current.call({ sku: 'a1' }));
    await waitFor(() => expect(result.current.status).toBe('pending'));
    expect(handler.mock.calls[0]![0]).toEqual({ sku: 'a1' });
    await act(async () => answer.resolve({ reservationId: 'r1' }));
    expect(result.current).toMatchObject({ status: 'success', data: { reservationId: 'r1' }, error: undefined });
  });

  it('puts a failure in error, and call never rejects', async () => {
    const { rpc, wrapper } = setup();
    rpc.handle('inventory.reserve', () => {
      throw new Error('out of stock');
    });
    const { result } = renderHook(() => useRequest('inventory.reserve'), { wrapper });
    // An unhandled rejection would fail the run.
    await act(async () => result.current.call({ sku: 'a1' }));
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(isSwitchboardError(result.current.error, 'REMOTE_ERROR')).toBe(true);
    expect(String((result.current.error as Error).message)).toContain('out of stock');
  });

  it('callAsync resolves with the result and rejects with the error', async () => {
    const { rpc, wrapper } = setup();
    rpc.handle('math.double', (n: number) => {
      if (n < 0) throw new Error('negative');
      return n * 2;
    });
    const { result } = renderHook(() => useRequest('math.double'), { wrapper });
    await act(async () => expect(await result.current.callAsync(21)).toBe(42));
    await act(async () => expect(result.current.callAsync(-1)).rejects.toThrow(/negative/));
    expect(result.current.status).toBe('error');
  });

  it('shows the latest call only, whatever order the answers come in', async () => {
    const { rpc, wrapper } = setup();
    const answers = [deferred<string>(), deferred<string>()];
    let next = 0;
    rpc.handle('search.run', () => answers[next++]!.promise);
    const { result } = renderHook(() => useRequest('search.run'), { wrapper });
    act(() => {
      result.current.call('a');
      result.current.call('ab');
    });
    await waitFor(() => expect(next).toBe(2));
    await act(async () => answers[1]!.resolve('second'));
    await act(async () => answers[0]!.resolve('first'));
    expect(result.current).toMatchObject({ status: 'success', data: 'second' });
  });

  it('keeps call, callAsync and reset the same across renders', () => {
    const { wrapper } = setup();
    const { result, rerender } = renderHook(() => useRequest('a.b'), { wrapper });
    const { call, callAsync, reset } = result.current;
    rerender();
    expect(result.current.call).toBe(call);
    expect(result.current.callAsync).toBe(callAsync);
    expect(result.current.reset).toBe(reset);
  });

  it('reset returns to idle and ignores the call still running', async () => {
    const { rpc, wrapper } = setup();
    const answer = deferred<number>();
    rpc.handle('slow.op', () => answer.promise);
    const { result } = renderHook(() => useRequest('slow.op'), { wrapper });
    act(() => result.current.call());
    await waitFor(() => expect(result.current.status).toBe('pending'));
    act(() => result.current.reset());
    await act(async () => answer.resolve(1));
    expect(result.current.status).toBe('idle');
  });

  it('passes the timeout option to each call', async () => {
    const { rpc, clock, wrapper } = setup();
    rpc.handle('slow.op', () => new Promise(() => {}));
    const { result } = renderHook(() => useRequest('slow.op', { timeout: 50 }), { wrapper });
    act(() => result.current.call());
    await waitFor(() => expect(result.current.status).toBe('pending'));
    await act(async () => clock.advance(50));
    await waitFor(() => expect(isSwitchboardError(result.current.error, 'TIMEOUT')).toBe(true));
  });

  it('lets a running call finish after unmount by default, and aborts it with abortOnUnmount', async () => {
    const { rpc, wrapper } = setup();
    const signals: AbortSignal[] = [];
    rpc.handle('slow.op', (_params: unknown, context: RpcContext) => {
      signals.push(context.signal);
      return new Promise(() => {});
    });
    const kept = renderHook(() => useRequest('slow.op'), { wrapper });
    const aborted = renderHook(() => useRequest('slow.op', { abortOnUnmount: true }), { wrapper });
    act(() => {
      kept.result.current.call();
      aborted.result.current.call();
    });
    await waitFor(() => expect(signals).toHaveLength(2));
    kept.unmount();
    aborted.unmount();
    expect(signals.map((signal) => signal.aborted)).toEqual([false, true]);
  });

  it('an aborted caller signal aborts the call', async () => {
    const { rpc, wrapper } = setup();
    rpc.handle('slow.op', () => new Promise(() => {}));
    const { result } = renderHook(() => useRequest('slow.op'), { wrapper });
    const controller = new AbortController();
    let outcome: unknown;
    act(
      () => void result.current.callAsync(undefined, { signal: controller.signal }).catch((error) => (outcome = error)),
    );
    await act(async () => controller.abort());
    await waitFor(() => expect(isSwitchboardError(outcome, 'ABORTED')).toBe(true));
  });

  it("updates the state for a call made by a child's effect at mount", async () => {
    const { rpc, wrapper } = setup();
    rpc.handle('math.answer', () => 42);
    const statuses: string[] = [];
    render(createElement(Caller, { statuses }), { wrapper });
    await waitFor(() => expect(statuses.at(-1)).toBe('success'));
    expect(statuses).toContain('pending');
  });

  it('names the fix when no rpc was given', () => {
    const bus = testBus();
    const error = renderError(() =>
      renderHook(() => useRequest('inventory.reserve'), { wrapper: providerWith({ bus }) }),
    );
    expect(error.message).toContain(
      "useRequest('inventory.reserve'): no rpc to call through; create one with createRpc(bus)",
    );
    expect(isSwitchboardError(error, 'INVALID_OPTION')).toBe(true);
  });
});
