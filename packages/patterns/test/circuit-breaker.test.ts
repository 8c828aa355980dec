import { describe, expect, it, vi } from 'vitest';
import { createPubSub, isSwitchboardError } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createCircuitBreaker, isCircuitOpenError, type CircuitStateEvent } from '../src/index.ts';
import { attachCrossTab } from '@switchboard/cross-tab';
import { createTestTabs } from '@switchboard/testing';

const boom = () => Promise.reject(new Error('service down'));

describe('circuit breaker in one tab', () => {
  it('opens after threshold failures, fails fast, probes once in HALF_OPEN and closes', async () => {
    const clock = createFakeClock();
    const bus = createPubSub({ app: 'a', clock });
    const breaker = createCircuitBreaker(bus, { name: 'inv', threshold: 2, resetTimeoutMs: 1000, clock });
    const events: string[] = [];
    breaker.onStateChange((e) => events.push(`${e.previous}->${e.state}`));
    await expect(breaker.execute(boom)).rejects.toThrow('service down');
    expect(breaker.state()).toBe('CLOSED');
    await expect(breaker.execute(boom)).rejects.toThrow('service down');
    expect(breaker.state()).toBe('OPEN');

    const fn = vi.fn(async () => 'ok');
    const error = await breaker.execute(fn).catch((e: unknown) => e);
    expect(error).toSatisfy(isCircuitOpenError);
    expect(isSwitchboardError(error, 'CIRCUIT_OPEN')).toBe(true);
    expect(fn).not.toHaveBeenCalled();

    clock.advance(1000);
    expect(breaker.state()).toBe('HALF_OPEN');
    let release!: (value: string) => void;
    const probe = breaker.execute(() => new Promise<string>((resolve) => (release = resolve)));
    await Promise.resolve();
    await expect(breaker.execute(fn)).rejects.toSatisfy(isCircuitOpenError);
    release('recovered');
    await expect(probe).resolves.toBe('recovered');
    expect(breaker.state()).toBe('CLOSED');
    expect(events).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
  });

  it('reopens when the probe fails; a success resets the failure count', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(createPubSub({ app: 'a', clock }), {
      name: 'x',
      threshold: 2,
      resetTimeoutMs: 500,
      clock,
    });
    await breaker.execute(boom).catch(() => {});
    await breaker.execute(async () => 1);
    expect(breaker.failures()).toBe(0);
    await breaker.execute(boom).catch(() => {});
    await breaker.execute(boom).catch(() => {});
    clock.advance(500);
    await expect(breaker.execute(boom)).rejects.toThrow('service down');
    expect(breaker.state()).toBe('OPEN');
    clock.advance(499);
    expect(breaker.state()).toBe('OPEN');
    clock.advance(1);
    expect(breaker.state()).toBe('HALF_OPEN');
  });

  it('uses the fallback for failures and for an open circuit', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(createPubSub({ app: 'a', clock }), {
      name: 'f',
      threshold: 1,
      clock,
      fallback: (error) => `cached (${(error as Error).name})`,
    });
    await expect(breaker.execute(boom)).resolves.toBe('cached (Error)');
    await expect(breaker.execute(async () => 'live')).resolves.toBe('cached (CircuitOpenError)');
    await expect(breaker.execute(async () => 'live', { fallback: () => 'per call' })).resolves.toBe('per call');
  });

  it('rejects bad options with a message naming the function', () => {
    const bus = createPubSub({ app: 'a' });
    expect(() => createCircuitBreaker(bus, { name: 'a.b' })).toThrow(/^createCircuitBreaker\(\): name/);
    expect(() => createCircuitBreaker(bus, { name: 'ok', threshold: 0 })).toThrow(/threshold/);
  });
});

describe('circuit breaker across tabs', () => {
  it('a circuit opened in tab A makes tab B fail fast; late tabs learn the state', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const opts = { name: 'inventory', threshold: 2, resetTimeoutMs: 1000, clock: tabs.clock };
    const a = createCircuitBreaker(tabs.open('t-a').bus, opts);
    const busB = tabs.open('t-b').bus;
    const b = createCircuitBreaker(busB, opts);
    const published: CircuitStateEvent[] = [];
    busB.subscribe<CircuitStateEvent>('$sys.circuit.+.state', (m) => void published.push(m.payload));
    await tabs.settle();
    await a.execute(boom).catch(() => {});
    await a.execute(boom).catch(() => {});
    await tabs.settle();
    expect(b.state()).toBe('OPEN');
    const fn = vi.fn(async () => 1);
    await expect(b.execute(fn)).rejects.toSatisfy(isCircuitOpenError);
    expect(fn).not.toHaveBeenCalled();
    expect(published).toEqual([
      expect.objectContaining({ name: 'inventory', state: 'OPEN', previous: 'CLOSED', tabId: 't-a' }),
    ]);

    const late = createCircuitBreaker(tabs.open('t-c').bus, opts);
    await tabs.settle();
    expect(late.state()).toBe('OPEN');
  });

  it('counts failures of all tabs toward the threshold', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const opts = { name: 'pay', threshold: 3, clock: tabs.clock };
    const a = createCircuitBreaker(tabs.open('t-a').bus, opts);
    const b = createCircuitBreaker(tabs.open('t-b').bus, opts);
    await tabs.settle();
    await a.execute(boom).catch(() => {});
    await a.execute(boom).catch(() => {});
    await tabs.settle();
    await b.execute(boom).catch(() => {});
    await tabs.settle();
    expect([a.state(), b.state()]).toEqual(['OPEN', 'OPEN']);
  });

  it('runs exactly one probe across three tabs in HALF_OPEN, then all close', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const opts = { name: 'search', threshold: 1, resetTimeoutMs: 1000, clock: tabs.clock };
    const breakers = ['t-1', 't-2', 't-3'].map((id) => createCircuitBreaker(tabs.open(id).bus, opts));
    await tabs.settle();
    await breakers[2]!.execute(boom).catch(() => {});
    await tabs.settle();
    tabs.clock.advance(1000);
    const fn = vi.fn(async () => 'probe ok');
    const results = breakers.map((breaker) =>
      breaker.execute(fn).then(
        (v) => v,
        (e: unknown) => e,
      ),
    );
    await tabs.settle();
    const settled = await Promise.all(results);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(settled.filter((r) => r === 'probe ok')).toHaveLength(1);
    expect(settled.filter((r) => isCircuitOpenError(r))).toHaveLength(2);
    await tabs.settle();
    expect(breakers.map((b) => b.state())).toEqual(['CLOSED', 'CLOSED', 'CLOSED']);
  });

  it('lets another tab probe when the probing tab closes', async () => {
    const tabs = createTestTabs({ attachCrossTab });
    const opts = { name: 'search', threshold: 1, resetTimeoutMs: 1000, clock: tabs.clock };
    const first = tabs.open('t-1');
    const a = createCircuitBreaker(first.bus, opts);
    const b = createCircuitBreaker(tabs.open('t-2').bus, opts);
    await tabs.settle();
    await a.execute(boom).catch(() => {});
    await tabs.settle();
    tabs.clock.advance(1000);
    void a.execute(() => new Promise(() => {}));
    await tabs.settle();
    await expect(b.execute(async () => 1)).rejects.toSatisfy(isCircuitOpenError);
    first.close();
    await tabs.settle();
    const probe = b.execute(async () => 'b probes');
    await tabs.settle();
    await expect(probe).resolves.toBe('b probes');
    expect(b.state()).toBe('CLOSED');
  });
});
