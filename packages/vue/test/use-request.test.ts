// @vitest-environment happy-dom
import { isSwitchboardError } from '@switchboard/bus';
import { createRpc, type RpcContext } from '@switchboard/patterns';
import { createFakeClock } from '@switchboard/testing';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useRequest } from '../src/index.ts';
import { mountWith, testBus } from './support/vue.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

function setup() {
  const bus = testBus();
  const clock = createFakeClock();
  const rpc = createRpc(bus, { clock });
  return { bus, clock, rpc };
}

describe('useRequest', () => {
  it('goes from idle to pending to success, in refs', async () => {
    const { bus, rpc } = setup();
    const answer = deferred<{ reservationId: string }>();
    rpc.handle('inventory.reserve', (_params: { sku: string }) => answer.promise);
    const { result, wrapper } = mountWith(
      () => useRequest('inventory.reserve'),
      { bus, rpc },
      (request) => request.status.value,
    );
    expect(result.status.value).toBe('idle');
    result.call({ sku: 'a1' });
    expect(result.status.value).toBe('pending');
    answer.resolve({ reservationId: 'r1' });
    await flushPromises();
    expect(result.status.value).toBe('success');
    expect(result.data.value).toEqual({ reservationId: 'r1' });
    expect(wrapper.text()).toBe('success');
  });

  it('puts a failure in error, and call never rejects', async () => {
    const { bus, rpc } = setup();
    rpc.handle('inventory.reserve', () => {
      throw new Error('out of stock');
    });
    const { result } = mountWith(() => useRequest('inventory.reserve'), { bus, rpc });
    result.call({ sku: 'a1' });
    await flushPromises();
    expect(result.status.value).toBe('error');
    expect(isSwitchboardError(result.error.value, 'REMOTE_ERROR')).toBe(true);
  });

  it('callAsync resolves with the result; the latest call wins', async () => {
    const { bus, rpc } = setup();
    const answers = [deferred<string>(), deferred<string>()];
    let next = 0;
    rpc.handle('search.run', () => answers[next++]!.promise);
    const { result } = mountWith(() => useRequest('search.run'), { bus, rpc });
    const first = result.callAsync('a');
    result.call('ab');
    await flushPromises();
    answers[1]!.resolve('second');
    answers[0]!.resolve('first');
    expect(await first).toBe('first');
    await flushPromises();
    expect(result.data.value).toBe('second');
  });

  it('passes the timeout option to each call', async () => {
    const { bus, rpc, clock } = setup();
    rpc.handle('slow.op', () => new Promise(() => {}));
    const { result } = mountWith(() => useRequest('slow.op', { timeout: 50 }), { bus, rpc });
    result.call();
    await flushPromises();
    clock.advance(50);
    await flushPromises();
    expect(isSwitchboardError(result.error.value, 'TIMEOUT')).toBe(true);
  });

  it('reset returns to idle and ignores the call still running', async () => {
    const { bus, rpc } = setup();
    const answer = deferred<number>();
    rpc.handle('slow.op', () => answer.promise);
    const { result } = mountWith(() => useRequest('slow.op'), { bus, rpc });
    result.call();
    result.reset();
    answer.resolve(1);
    await flushPromises();
    expect(result.status.value).toBe('idle');
    expect(result.data.value).toBeUndefined();
  });

  it('lets a running call finish after unmount by default, and aborts it with abortOnUnmount', async () => {
    const { bus, rpc } = setup();
    const signals: AbortSignal[] = [];
    rpc.handle('slow.op', (_params: unknown, context: RpcContext) => {
      signals.push(context.signal);
      return new Promise(() => {});
    });
    const kept = mountWith(() => useRequest('slow.op'), { bus, rpc });
    const aborted = mountWith(() => useRequest('slow.op', { abortOnUnmount: true }), { bus, rpc });
    kept.result.call();
    aborted.result.call();
    await flushPromises();
    kept.wrapper.unmount();
    aborted.wrapper.unmount();
    expect(signals.map((signal) => signal.aborted)).toEqual([false, true]);
  });

  it('names the fix when no rpc was provided', () => {
    const bus = testBus();
    expect(() => mountWith(() => useRequest('inventory.reserve'), { bus })).toThrow(
      /^useRequest\('inventory.reserve'\): no rpc to call through; create one with createRpc\(bus\)/,
    );
  });
});
