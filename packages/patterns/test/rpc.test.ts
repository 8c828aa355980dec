import { describe, expect, it, vi } from 'vitest';
import { createPubSub, isSwitchboardError } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import {
  createRpc,
  isNoHandlerError,
  isRemoteError,
  isRpcTargetGoneError,
  isRpcTimeoutError,
  type RemoteError,
} from '../src/index.ts';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createTestTabs } from '@switchboard/testing';

describe('rpc in one tab', () => {
  it('calls a handler on the same bus directly', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'a', clock });
    const rpc = createRpc(bus, { clock });
    const seen = vi.fn();
    bus.subscribe('$sys.rpc.request.#', seen);
    rpc.handle('sum', ({ a, b }: { a: number; b: number }) => a + b);
    await expect(rpc.request('sum', { a: 1, b: 2 })).resolves.toBe(3);
    expect(seen).not.toHaveBeenCalled();
  });

  it('fails at once with NoHandlerError on a bare bus', async () => {
    const clock = createFakeClock();
    const rpc = createRpc(createPubSub({ app: 'a', clock }), { clock });
    const error = await rpc.request('nope').catch((e: unknown) => e);
    expect(error).toSatisfy(isNoHandlerError);
    expect(isSwitchboardError(error, 'NO_HANDLER')).toBe(true);
    expect((error as Error).message).toMatch(/^request\('nope'\): no handler/);
  });

  it('rethrows handler errors as RemoteError with name, message and code', async () => {
    const clock = createFakeClock();
    const rpc = createRpc(createPubSub({ app: 'a', clock }), { clock });
    rpc.handle('fail', () => {
      throw Object.assign(new TypeError('bad order'), { code: 'NOT_FOUND' });
    });
    const error = await rpc.request('fail').catch((e: unknown) => e);
    expect(error).toSatisfy(isRemoteError);
    expect((error as RemoteError).remote).toEqual({ name: 'TypeError', message: 'bad order', code: 'NOT_FOUND' });
    expect(isSwitchboardError(error, 'REMOTE_ERROR')).toBe(true);
  });

  it('times out with RpcTimeoutError read from the clock, and the handler sees the abort', async () => {
    const clock = createFakeClock();
    const rpc = createRpc(createPubSub({ app: 'a', clock }), { clock });
    let signal: AbortSignal | undefined;
    rpc.handle('slow', (_p, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const result = rpc.request('slow', null, { timeout: 100 }).catch((e: unknown) => e);
    await Promise.resolve();
    clock.advance(100);
    expect(await result).toSatisfy(isRpcTimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts via signal with the reason as cause; the handler sees it', async () => {
    const clock = createFakeClock();
    const rpc = createRpc(createPubSub({ app: 'a', clock }), { clock });
    let signal: AbortSignal | undefined;
    rpc.handle('slow', (_p, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const controller = new AbortController();
    const result = rpc.request('slow', null, { signal: controller.signal }).catch((e: unknown) => e);
    await Promise.resolve();
    controller.abort('user left the page');
    const error = await result;
    expect(isSwitchboardError(error, 'ABORTED')).toBe(true);
    expect((error as Error).cause).toBe('user left the page');
    expect(signal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('rpc across tabs', () => {
  it('exactly one of three handling tabs answers, the lowest tab id', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const calls: string[] = [];
    const [a, b, c, caller] = ['t-b', 't-a', 't-c', 't-z'].map((id) => tabs.open(id));
    for (const tab of [a!, b!, c!])
      createRpc(tab.bus, { clock: tabs.clock }).handle('who', () => {
        calls.push(tab.bus.tabId);
        return tab.bus.tabId;
      });
    const rpc = createRpc(caller!.bus, { clock: tabs.clock });
    await tabs.settle();
    const answers = await Promise.all([rpc.request('who'), rpc.request('who'), rpc.request('who')]);
    await tabs.settle();
    expect(answers).toEqual(['t-a', 't-a', 't-a']);
    expect(calls).toEqual(['t-a', 't-a', 't-a']);
  });

  it('lists the tabs that would run a method in target order, growing as announcements arrive', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const [a, b, caller] = ['t-b', 't-a', 't-z'].map((id) => tabs.open(id));
    createRpc(a!.bus, { clock: tabs.clock }).handle('who', () => 'b');
    const rpc = createRpc(caller!.bus, { clock: tabs.clock });
    expect(rpc.targets('who')).toEqual([]);
    await tabs.settle();
    expect(rpc.targets('who')).toEqual(['t-b']);
    createRpc(b!.bus, { clock: tabs.clock }).handle('who', () => 'a');
    await tabs.settle();
    expect(rpc.targets('who')).toEqual(['t-a', 't-b']);
    // A handler on the caller's own bus comes first, and each tab is listed once.
    rpc.handle('who', () => 'z');
    createRpc(b!.bus, { clock: tabs.clock }).handle('who', () => 'a again');
    await tabs.settle();
    expect(rpc.targets('who')).toEqual(['t-z', 't-a', 't-b']);
    expect(rpc.targets('nobody')).toEqual([]);
  });

  it('correlates concurrent calls', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const server = tabs.open('t-1');
    createRpc(server.bus, { clock: tabs.clock }).handle('echo', (n: number) => n * 10);
    const rpc = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    await tabs.settle();
    expect(await Promise.all([1, 2, 3, 4].map((n) => rpc.request('echo', n)))).toEqual([10, 20, 30, 40]);
  });

  it('discovers a handler announced before the request, and fails fast after the window when none', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const rpc = createRpc(tabs.open('t-1').bus, { clock: tabs.clock, discoveryMs: 50 });
    tabs.open('t-2');
    const result = rpc.request('missing').catch((e: unknown) => e);
    await tabs.settle();
    tabs.clock.advance(50);
    const error = await result;
    expect(error).toSatisfy(isNoHandlerError);
    expect((error as Error).message).toContain('within 50 ms');
  });

  it('rejects with RpcTargetGoneError when the handling tab closes mid-request', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const server = tabs.open('t-1');
    let signal: AbortSignal | undefined;
    createRpc(server.bus, { clock: tabs.clock }).handle('slow', (_p, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const rpc = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    await tabs.settle();
    const result = rpc.request('slow').catch((e: unknown) => e);
    await tabs.settle();
    expect(signal).toBeDefined();
    server.close();
    const error = await result;
    expect(error).toSatisfy(isRpcTargetGoneError);
    expect(isSwitchboardError(error, 'TARGET_GONE')).toBe(true);
  });

  it('rejects with RpcTargetGoneError when the handling tab crashes, well before the timeout', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const server = tabs.open('t-1');
    createRpc(server.bus, { clock: tabs.clock }).handle('slow', () => new Promise(() => {}));
    const rpc = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    await tabs.settle();
    let outcome: unknown;
    void rpc.request('slow', null, { timeout: 60_000 }).catch((e: unknown) => (outcome = e));
    await tabs.settle();
    server.crash();
    for (let elapsed = 0; elapsed < 20_000 && outcome === undefined; elapsed += 500) {
      tabs.clock.advance(500);
      await tabs.settle();
    }
    expect(outcome).toSatisfy(isRpcTargetGoneError);
  });

  it('sends remote errors, timeouts and aborts across tabs', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const server = createRpc(tabs.open('t-1').bus, { clock: tabs.clock });
    const signals: AbortSignal[] = [];
    server.handle('fail', () => Promise.reject(Object.assign(new RangeError('too big'), { code: 'LIMIT' })));
    server.handle('hang', (_p, context) => {
      signals.push(context.signal);
      return new Promise(() => {});
    });
    const rpc = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    await tabs.settle();
    const failed = await rpc.request('fail').catch((e: unknown) => e);
    expect((failed as RemoteError).remote).toEqual({ name: 'RangeError', message: 'too big', code: 'LIMIT' });
    expect((failed as RemoteError).tabId).toBe('t-1');

    const timedOut = rpc.request('hang', null, { timeout: 200 }).catch((e: unknown) => e);
    await tabs.settle();
    tabs.clock.advance(200);
    expect(await timedOut).toSatisfy(isRpcTimeoutError);
    await tabs.settle();
    expect(signals[0]?.aborted).toBe(true);

    const controller = new AbortController();
    const aborted = rpc.request('hang', null, { signal: controller.signal }).catch((e: unknown) => e);
    await tabs.settle();
    controller.abort(new Error('navigated away'));
    expect(isSwitchboardError(await aborted, 'ABORTED')).toBe(true);
    await tabs.settle();
    expect(signals[1]?.aborted).toBe(true);
  });

  it('retries another tab when the chosen one unregistered before the request arrived', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const first = createRpc(tabs.open('t-1').bus, { clock: tabs.clock });
    const second = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    const off = first.handle('m', () => 'first');
    second.handle('m', () => 'second');
    const rpc = createRpc(tabs.open('t-3').bus, { clock: tabs.clock });
    await tabs.settle();
    off();
    // The caller has not heard the new announcement yet, so it targets t-1 first.
    const answer = rpc.request('m');
    await tabs.settle();
    expect(await answer).toBe('second');
  });
});
