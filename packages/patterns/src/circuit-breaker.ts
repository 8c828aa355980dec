import { SwitchboardError, type AnyBus, type Clock, type Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { connectBus, randomId } from './bus-link.ts';
import { CircuitOpenError } from './errors.ts';

/** `CLOSED`: calls run. `OPEN`: calls fail fast. `HALF_OPEN`: one probe call, in one tab, decides. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Names the circuit; every tab's breaker with this name shares one state. Letters, digits, `_`, `-`, `:`. */
  name: string;
  /** Consecutive failures (counted across all tabs) that open the circuit. @default 5 */
  threshold?: number;
  /** Milliseconds the circuit stays OPEN before it lets one probe through. @default 30000 */
  resetTimeoutMs?: number;
  /** Used instead of throwing when a call fails or the circuit is open. */
  fallback?: (error: unknown) => unknown;
  /** How long a tab waits for the probe to be granted before failing fast. @default 500 */
  claimTimeoutMs?: number;
  /** Time source; pass the bus's fake clock in tests. @default systemClock */
  clock?: Clock;
}

/** Options of one `execute` call. */
export interface ExecuteOptions<T> {
  /** Overrides the breaker's fallback for this call. */
  fallback?: (error: unknown) => T | Promise<T>;
}

/** A state change, as published on `$sys.circuit.<name>.state` and passed to `onStateChange`. */
export interface CircuitStateEvent {
  readonly name: string;
  readonly state: CircuitState;
  readonly previous: CircuitState;
  /** Increases with every CLOSED/OPEN transition; tabs adopt the highest. */
  readonly generation: number;
  /** Clock time the circuit entered this state. */
  readonly since: number;
  /** The tab that caused the change. */
  readonly tabId: string;
}

/**
 * A circuit breaker whose state is shared by every tab through the bus.
 *
 * @example
 * import { createCircuitBreaker } from '@switchboard/patterns';
 * const breaker = createCircuitBreaker(bus, { name: 'inventory', threshold: 5, resetTimeoutMs: 60_000 });
 * const stock = await breaker.execute(() => fetch('/api/inventory').then((r) => r.json()), {
 *   fallback: () => cachedStock(),
 * });
 */
export interface CircuitBreaker {
  readonly name: string;
  /** Runs `fn` unless the circuit is open; counts its failure or success. */
  execute<T>(fn: () => T | Promise<T>, options?: ExecuteOptions<T>): Promise<T>;
  /** The state now (OPEN turns into HALF_OPEN once `resetTimeoutMs` has passed). */
  state(): CircuitState;
  /** Consecutive failures counted in the current CLOSED period. */
  failures(): number;
  /** Calls `listener` on every state change seen by this tab, local or remote. */
  onStateChange(listener: (event: CircuitStateEvent) => void): () => void;
  /** Stops listening to the bus and clears timers. */
  dispose(): void;
}

interface Shared {
  generation: number;
  state: 'CLOSED' | 'OPEN';
  since: number;
  by: string;
}

interface ProbeClaim {
  readonly generation: number;
  readonly tabId: string;
  readonly id: string;
}
interface ProbeGrant extends ProbeClaim {
  readonly granted: boolean;
}

const NAME = /^[A-Za-z0-9_:-]+$/;

/**
 * Creates a circuit breaker. Breakers with the same name in several tabs share their state: once
 * one tab opens the circuit every tab fails fast, a tab that starts later asks for the current
 * state, and in HALF_OPEN exactly one probe runs across all tabs (granted by the tab with the
 * lowest id among those using the circuit).
 *
 * @example
 * import { createCircuitBreaker } from '@switchboard/patterns';
 * const breaker = createCircuitBreaker(bus, { name: 'payments', threshold: 3, resetTimeoutMs: 10_000 });
 * breaker.onStateChange((e) => console.log(e.name, e.previous, '->', e.state));
 */
export function createCircuitBreaker(bus: AnyBus, options: CircuitBreakerOptions): CircuitBreaker {
  const { name } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `createCircuitBreaker(): name must be one topic segment (letters, digits, '_', '-', ':'), got ${JSON.stringify(name)}.`,
    );
  }
  const threshold = positive(options.threshold ?? 5, 'threshold');
  const resetTimeoutMs = positive(options.resetTimeoutMs ?? 30_000, 'resetTimeoutMs');
  const claimTimeoutMs = positive(options.claimTimeoutMs ?? 500, 'claimTimeoutMs');
  const clock = options.clock ?? systemClock;
  const connection = connectBus(bus, `circuit:${name}`, 'createCircuitBreaker()');
  const topic = `$sys.circuit.${name}`;
  const me = bus.tabId;
  const listeners = new Set<(event: CircuitStateEvent) => void>();
  const participants = new Set<string>([me]);
  const waitingClaims = new Map<string, (granted: boolean) => void>();
  let shared: Shared = { generation: 0, state: 'CLOSED', since: clock.now(), by: me };
  let failures = 0;
  let probe: { generation: number; tabId: string } | undefined;
  let claiming = false;
  let halfOpenTimer: unknown;
  let lastNotified: CircuitState = 'CLOSED';

  const off = bus.subscribe(`${topic}.+`, (message) => onMessage(message));
  const offLeft = bus.subscribe<{ tabId: string }>('$sys.tab.left', (message) => {
    participants.delete(message.payload.tabId);
    if (probe?.tabId === message.payload.tabId) probe = undefined;
  });
  send('query', { tabId: me });

  function send(kind: string, payload: unknown): void {
    connection.link.publishSystem(`${topic}.${kind}`, payload);
  }

  function current(): CircuitState {
    if (shared.state === 'CLOSED') return 'CLOSED';
    return clock.now() >= shared.since + resetTimeoutMs ? 'HALF_OPEN' : 'OPEN';
  }

  function notify(by: string, publish: boolean): void {
    const state = current();
    if (state === lastNotified) return;
    const event: CircuitStateEvent = {
      name,
      state,
      previous: lastNotified,
      generation: shared.generation,
      since: state === 'HALF_OPEN' ? shared.since + resetTimeoutMs : shared.since,
      tabId: by,
    };
    lastNotified = state;
    if (publish) send('state', event);
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        connection.link.reportError(error, { kind: 'adapter', adapter: `circuit:${name}` });
      }
    }
  }

  function adopt(next: Shared, publish: boolean): void {
    shared = next;
    failures = 0;
    probe = undefined;
    if (halfOpenTimer !== undefined) clock.clearTimeout(halfOpenTimer);
    halfOpenTimer = undefined;
    if (next.state === 'OPEN') {
      halfOpenTimer = clock.setTimeout(
        () => {
          halfOpenTimer = undefined;
          // Every tab computes HALF_OPEN itself; only the arbiter tells the bus, once.
          notify(me, arbiter() === me);
        },
        Math.max(0, next.since + resetTimeoutMs - clock.now()),
      );
    }
    notify(next.by, publish);
  }

  function newer(other: Shared): boolean {
    return (
      other.generation > shared.generation ||
      (other.generation === shared.generation && other.by < shared.by && other.state !== shared.state)
    );
  }

  function transition(state: 'CLOSED' | 'OPEN'): void {
    const next: Shared = { generation: shared.generation + 1, state, since: clock.now(), by: me };
    adopt(next, true);
    send('shared', next);
  }

  function arbiter(): string {
    return [...participants].sort()[0]!;
  }

  function grant(claim: ProbeClaim): boolean {
    const granted =
      current() === 'HALF_OPEN' &&
      claim.generation === shared.generation &&
      (probe === undefined || probe.tabId === claim.tabId);
    if (granted) probe = { generation: claim.generation, tabId: claim.tabId };
    send('grant', { ...claim, granted } satisfies ProbeGrant);
    return granted;
  }

  function onMessage(message: Message): void {
    const kind = message.topic.slice(topic.length + 1);
    const fromOther = message.origin.tabId !== me;
    switch (kind) {
      case 'query': {
        const { tabId } = message.payload as { tabId: string };
        if (!fromOther) return;
        participants.add(tabId);
        send('shared', shared);
        return;
      }
      case 'shared': {
        participants.add(message.origin.tabId);
        if (fromOther && newer(message.payload as Shared)) adopt(message.payload as Shared, false);
        return;
      }
      case 'failure':
      case 'success': {
        const { generation } = message.payload as { generation: number };
        if (!fromOther || generation !== shared.generation || shared.state !== 'CLOSED') return;
        failures = kind === 'failure' ? failures + 1 : 0;
        return;
      }
      case 'bye': {
        if (fromOther) participants.delete(message.origin.tabId);
        return;
      }
      case 'claim': {
        if (fromOther && arbiter() === me) grant(message.payload as ProbeClaim);
        return;
      }
      case 'grant': {
        const answer = message.payload as ProbeGrant;
        if (answer.granted && answer.generation === shared.generation)
          probe = { generation: answer.generation, tabId: answer.tabId };
        waitingClaims.get(answer.id)?.(answer.granted);
        return;
      }
      default:
        return;
    }
  }

  async function claimProbe(generation: number): Promise<boolean> {
    const claim: ProbeClaim = { generation, tabId: me, id: randomId() };
    if (arbiter() === me) return grant(claim);
    return new Promise<boolean>((resolve) => {
      const timer = clock.setTimeout(() => answer(false), claimTimeoutMs);
      function answer(granted: boolean): void {
        clock.clearTimeout(timer);
        waitingClaims.delete(claim.id);
        resolve(granted);
      }
      waitingClaims.set(claim.id, answer);
      send('claim', claim);
    });
  }

  async function run<T>(fn: () => T | Promise<T>): Promise<T> {
    const state = current();
    const generation = shared.generation;
    if (state === 'OPEN') throw new CircuitOpenError(name, shared.since + resetTimeoutMs, 'the circuit is OPEN');
    if (state === 'HALF_OPEN') {
      if (claiming || (probe !== undefined && probe.generation === generation)) {
        throw new CircuitOpenError(
          name,
          clock.now() + resetTimeoutMs,
          'the circuit is HALF_OPEN and another call is the probe',
        );
      }
      claiming = true;
      let granted: boolean;
      try {
        granted = await claimProbe(generation);
      } finally {
        claiming = false;
      }
      if (!granted || shared.generation !== generation) {
        throw new CircuitOpenError(
          name,
          clock.now() + resetTimeoutMs,
          'the circuit is HALF_OPEN and another tab runs the probe',
        );
      }
      try {
        const result = await fn();
        if (shared.generation === generation) transition('CLOSED');
        return result;
      } catch (error) {
        if (shared.generation === generation) transition('OPEN');
        throw error;
      }
    }
    try {
      const result = await fn();
      if (failures > 0 && shared.generation === generation && shared.state === 'CLOSED') {
        failures = 0;
        send('success', { generation });
      }
      return result;
    } catch (error) {
      if (shared.generation === generation && shared.state === 'CLOSED') {
        failures++;
        send('failure', { generation });
        if (failures >= threshold) transition('OPEN');
      }
      throw error;
    }
  }

  return {
    name,
    async execute<T>(fn: () => T | Promise<T>, executeOptions: ExecuteOptions<T> = {}): Promise<T> {
      const fallback =
        executeOptions.fallback ?? (options.fallback as ((error: unknown) => T | Promise<T>) | undefined);
      try {
        return await run(fn);
      } catch (error) {
        if (fallback === undefined) throw error;
        return fallback(error);
      }
    },
    state: current,
    failures: () => failures,
    onStateChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      if (!bus.disposed) send('bye', { tabId: me });
      off();
      offLeft();
      if (halfOpenTimer !== undefined) clock.clearTimeout(halfOpenTimer);
      for (const answer of [...waitingClaims.values()]) answer(false);
      connection.detach();
    },
  };
}

function positive(value: number, option: string): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `createCircuitBreaker(): ${option} must be a positive number, got ${String(value)}.`,
    );
  }
  return value;
}
