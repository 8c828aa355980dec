import { describe, expect, it } from 'vitest';
import { isSwitchboardError, type AdapterLink } from '@switchboard/bus';
import { attachCrossTab, type CrossTab, type CrossTabOptions } from '@switchboard/cross-tab';
import { createTestTabs, type TestTabs } from '@switchboard/testing';
import { createCircuitBreaker } from '../src/index.ts';

const RESET = 1000;

/** A tab without a breaker that posts whatever it likes on the circuit's topics. */
function forger(tabs: TestTabs<CrossTab, CrossTabOptions>, tabId = 't-0') {
  const tab = tabs.open(tabId);
  let link!: AdapterLink;
  tab.bus.attach({
    name: 'forger',
    connect: (l) => {
      link = l;
    },
  });
  return (kind: string, payload: unknown) => link.publishSystem(`$sys.circuit.inv.${kind}`, payload);
}

function breakerIn(tabs: TestTabs, tabId: string) {
  const tab = tabs.open(tabId);
  const breaker = createCircuitBreaker(tab.bus, {
    name: 'inv',
    threshold: 1,
    resetTimeoutMs: RESET,
    clock: tabs.clock,
  });
  return { tab, breaker };
}

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('circuit breaker and forged or malformed state', () => {
  it('holds a circuit OPEN no longer than its reset timeout, whatever since and generation say', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const post = forger(tabs);
    const { breaker } = breakerIn(tabs, 't-a');
    await tabs.settle();
    post('shared', { generation: 1e9, state: 'OPEN', since: 8.64e15, by: 't-0' });
    await tabs.settle();
    expect(breaker.state()).toBe('OPEN');
    const open = await failure(breaker.execute(async () => 'ok'));
    expect(isSwitchboardError(open, 'CIRCUIT_OPEN')).toBe(true);
    expect((open as { retryAt: number }).retryAt).toBe(tabs.clock.now() + RESET);

    // A tab opened later learns the state, bounded the same way.
    const late = breakerIn(tabs, 't-b');
    await tabs.settle();
    expect(late.breaker.state()).toBe('OPEN');

    await tabs.advance(RESET);
    expect([breaker.state(), late.breaker.state()]).toEqual(['HALF_OPEN', 'HALF_OPEN']);
    // The forger counted as a participant and is the lowest id, but never answers a claim:
    // the first call fails fast after the claim timeout, the next one probes.
    const first = breaker.execute(async () => 'probe');
    await tabs.advance(500, 100);
    expect(isSwitchboardError(await first.catch((e: unknown) => e), 'CIRCUIT_OPEN')).toBe(true);
    await expect(breaker.execute(async () => 'probe')).resolves.toBe('probe');
    await tabs.settle();
    expect([breaker.state(), late.breaker.state()]).toEqual(['CLOSED', 'CLOSED']);
  });

  it.each([
    [
      'a generation that is not a safe whole number',
      { generation: 2 ** 60, state: 'OPEN', since: 0, by: 'x' },
      /generation/,
    ],
    ['a negative generation', { generation: -1, state: 'OPEN', since: 0, by: 'x' }, /generation/],
    [
      'an unknown state',
      { generation: 5, state: 'SHUT', since: 0, by: 'x' },
      /state must be 'CLOSED' or 'OPEN', got "SHUT"/,
    ],
    [
      'a since that is not finite',
      { generation: 5, state: 'OPEN', since: Number.POSITIVE_INFINITY, by: 'x' },
      /since must be a finite number/,
    ],
    ['no payload', null, /the payload must be an object/],
  ])('rejects a shared state with %s, counts and reports it, and keeps its own', async (_name, payload, problem) => {
    const tabs = createTestTabs({ attachCrossTab });
    const post = forger(tabs);
    const { tab, breaker } = breakerIn(tabs, 't-a');
    await tabs.settle();
    post('shared', payload);
    await tabs.settle();
    expect(breaker.state()).toBe('CLOSED');
    expect(breaker.stats().rejectedMessages).toBe(1);
    const reported = tab.errors.filter((e) => isSwitchboardError(e, 'INVALID_MESSAGE'));
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toMatch(
      /^circuit 'inv': ignored '\$sys\.circuit\.inv\.shared' from tab t-0: /,
    );
    expect((reported[0] as Error).message).toMatch(problem);
    await expect(breaker.execute(async () => 'still works')).resolves.toBe('still works');
  });

  it('rejects a claim made in another tab’s name, and a malformed grant', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const post = forger(tabs, 't-z');
    const { breaker } = breakerIn(tabs, 't-a');
    await tabs.settle();
    post('claim', { generation: 0, tabId: 't-b', id: 'c1' });
    post('grant', { generation: 0, tabId: 't-b', id: 'c1', granted: 'yes' });
    post('failure', { generation: '0' });
    await tabs.settle();
    expect(breaker.stats().rejectedMessages).toBe(3);
    expect(breaker.failures()).toBe(0);
  });

  it('lets a forged grant to a tab that does not exist block probes for one reset timeout at most', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const post = forger(tabs, 't-z');
    const { breaker } = breakerIn(tabs, 't-a');
    await tabs.settle();
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => {});
    await tabs.advance(RESET);
    expect(breaker.state()).toBe('HALF_OPEN');
    post('grant', { generation: 1, tabId: 't-ghost', id: 'g', granted: true });
    await tabs.settle();
    expect(isSwitchboardError(await failure(breaker.execute(async () => 1)), 'CIRCUIT_OPEN')).toBe(true);
    await tabs.advance(RESET);
    await expect(breaker.execute(async () => 'probe')).resolves.toBe('probe');
    expect(breaker.state()).toBe('CLOSED');
  });
});
