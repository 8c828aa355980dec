import { describe, expect, it } from 'vitest';
import { isSwitchboardError } from '@switchboard/bus';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createTestTabs } from '@switchboard/testing';
import { createRpc } from '../src/index.ts';

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );

describe('rpc and values that cannot cross tabs', () => {
  it('refuses non-cloneable params at once, in the caller’s terms, whether or not a target is known', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const caller = createRpc(tabs.open('t-1').bus, { clock: tabs.clock });
    const other = tabs.open('t-2');
    // No tab has announced 'calc' yet: the clone error comes now, not NO_HANDLER after discovery.
    let settled = false;
    const early = failure(caller.request('calc', { f: () => 1 })).finally(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    const error = await early;
    expect(isSwitchboardError(error, 'NOT_CLONEABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /^request\('calc'\): params\.f \(function f\) cannot be sent to another tab/,
    );
    expect((error as Error).message).not.toContain('$sys');

    createRpc(other.bus, { clock: tabs.clock }).handle('calc', () => 2);
    await tabs.settle();
    const proxied = await failure(caller.request('calc', { user: new Proxy({ id: 1 }, {}) }));
    expect(isSwitchboardError(proxied, 'NOT_CLONEABLE')).toBe(true);
    expect((proxied as Error).message).toMatch(/^request\('calc'\): params/);
    await expect(caller.request('calc', { x: 1 })).resolves.toBe(2);
  });

  it('reports a result that cannot be sent back as the caller’s request, not an internal topic', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    createRpc(tabs.open('t-1').bus, { clock: tabs.clock }).handle('load', () => ({ id: 1, save: () => {} }));
    const caller = createRpc(tabs.open('t-2').bus, { clock: tabs.clock });
    await tabs.settle();
    const error = await failure(caller.request('load'));
    expect(isSwitchboardError(error, 'REMOTE_ERROR')).toBe(true);
    const { remote } = error as { remote: { message: string; code?: string } };
    expect(remote.code).toBe('NOT_CLONEABLE');
    expect(remote.message).toMatch(/^request\('load'\): result\.save \(function save\) cannot be sent/);
  });

  it('still calls a handler in the same tab with params that only this tab can hold', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const rpc = createRpc(tabs.open('t-1').bus, { clock: tabs.clock });
    rpc.handle('apply', ({ fn }: { fn: () => number }) => fn());
    await expect(rpc.request('apply', { fn: () => 7 })).resolves.toBe(7);
  });
});
