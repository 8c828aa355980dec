import { SwitchboardError, type AnyBus, type Clock, type Message } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { helperAccess, randomId, sendFarewell, type PresenceLike } from './helper-access.ts';
import { readCircuitMessage, type ProbeClaim, type ProbeGrant, type SharedCircuit } from './circuit-messages.ts';
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

/** What `breaker.stats()` returns. */
export interface CircuitBreakerStats {
  /** Protocol messages ignored because their payload failed the checks. */
  readonly rejectedMessages: number;
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
  /**
   * Counters: `rejectedMessages` counts `$sys.circuit.<name>.*` messages from other tabs that
   * failed the protocol's checks (wrong types or ranges); each is also reported to `onError`.
   */
  stats(): CircuitBreakerStats;
  /** Calls `listener` on every state change seen by this tab, local or remote. */
  onStateChange(listener: (event: CircuitStateEvent) => void): () => void;
  /** Stops listening to the bus and clears timers. */
  dispose(): void;
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
  const adapter = `circuit:${name}`;
  const access = helperAccess(bus, 'circuit', adapter, 'createCircuitBreaker()');
  const topic = `$sys.circuit.${name}`;
  const me = access.tabId;
  const listeners = new Set<(event: CircuitStateEvent) => void>();
  const participants = new Set<string>([me]);
  const waitingClaims = new Map<string, (granted: boolean) => void>();
  let shared: SharedCircuit = { generation: 0, state: 'CLOSED', since: clock.now(), by: me };
  let failures = 0;
  // The granted probe, held until `until` (clock ms): a probe that never reports, or a grant
  // naming a tab that does not exist, cannot keep the circuit from probing again for longer.
  let probe: { generation: number; tabId: string; until: number } | undefined;
  let rejectedMessages = 0;
  let claiming = false;
  let halfOpenTimer: unknown;
  let lastNotified: CircuitState = 'CLOSED';
  let disposed = false;

  access.subscribe(`${topic}.+`, (message) => onMessage(message));
  access.subscribe<{ tabId?: unknown } | undefined>('$sys.tab.left', (message) => {
    const left = message.payload?.tabId;
    if (typeof left !== 'string') return;
    participants.delete(left);
    if (probe?.tabId === left) probe = undefined;
  });
  send('query', { tabId: me });

  function send(kind: string, payload: unknown): void {
    access.publish(`${topic}.${kind}`, payload);
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
        access.reportError(error, { kind: 'adapter', adapter });
      }
    }
  }

  function adopt(next: SharedCircuit, publish: boolean): void {
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

  function newer(other: SharedCircuit): boolean {
    return (
      other.generation > shared.generation ||
      (other.generation === shared.generation && other.by < shared.by && other.state !== shared.state)
    );
  }

  function transition(state: 'CLOSED' | 'OPEN'): void {
    const next: SharedCircuit = { generation: shared.generation + 1, state, since: clock.now(), by: me };
    adopt(next, true);
    send('shared', next);
  }

  /**
   * The lowest id among the tabs using the circuit. Where cross-tab reports presence, only tabs
   * it lists as live count: a message naming a tab that is not there cannot make it arbiter.
   */
  function arbiter(): string {
    const live = access.lookup<PresenceLike>('presence')?.tabs();
    let lowest = me;
    for (const tabId of participants) {
      if (tabId < lowest && (live === undefined || live.some((tab) => tab.tabId === tabId))) lowest = tabId;
    }
    return lowest;
  }

  function probing(generation: number): boolean {
    return probe !== undefined && probe.generation === generation && clock.now() < probe.until;
  }

  function grant(claim: ProbeClaim): boolean {
    const granted =
      current() === 'HALF_OPEN' &&
      claim.generation === shared.generation &&
      (!probing(claim.generation) || probe!.tabId === claim.tabId);
    if (granted) probe = { generation: claim.generation, tabId: claim.tabId, until: clock.now() + resetTimeoutMs };
    send('grant', { ...claim, granted } satisfies ProbeGrant);
    return granted;
  }

  function onMessage(message: Message): void {
    const kind = message.topic.slice(topic.length + 1);
    const sender = message.origin.tabId;
    const fromOther = sender !== me;
    if (!fromOther) return;
    const read = readCircuitMessage(kind, message.payload, sender);
    switch (read.kind) {
      case 'invalid': {
        rejectedMessages++;
        const error = new SwitchboardError(
          'INVALID_MESSAGE',
          `circuit '${name}': ignored '${message.topic}' from tab ${sender}: ${read.problem}. Only the circuit breaker publishes there; another copy or version of it, or a script posting on the channel, sent it.`,
        );
        access.reportError(error, { kind: 'adapter', adapter, message });
        return;
      }
      case 'query':
        participants.add(sender);
        send('shared', shared);
        return;
      case 'shared': {
        participants.add(sender);
        // A state from elsewhere holds the circuit OPEN at most resetTimeoutMs from now, as this
        // tab measures it: a \`since\` in this tab's future (a skewed clock, a forged message) is
        // read as now.
        const next = { ...read.shared, since: Math.min(read.shared.since, clock.now()) };
        if (newer(next)) adopt(next, false);
        return;
      }
      case 'failure':
      case 'success':
        if (read.generation !== shared.generation || shared.state !== 'CLOSED') return;
        failures = read.kind === 'failure' ? failures + 1 : 0;
        return;
      case 'bye':
        participants.delete(sender);
        return;
      case 'claim':
        if (arbiter() === me) grant(read.claim);
        return;
      case 'grant': {
        const answer = read.grant;
        if (answer.granted && answer.generation === shared.generation)
          probe = { generation: answer.generation, tabId: answer.tabId, until: clock.now() + resetTimeoutMs };
        waitingClaims.get(answer.id)?.(answer.granted);
        return;
      }
      default:
        return;
    }
  }

  async function claimProbe(generation: number): Promise<boolean> {
    const claim: ProbeClaim = { generation, tabId: me, id: randomId() };
    const asked = arbiter();
    if (asked === me) return grant(claim);
    return new Promise<boolean>((resolve) => {
      const timer = clock.setTimeout(() => {
        // An arbiter that does not answer (gone, or a tab without this breaker that only posted
        // a state) stops being asked: the next call asks the next tab, or this one decides.
        participants.delete(asked);
        answer(false);
      }, claimTimeoutMs);
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
      if (claiming || probing(generation)) {
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

  const breaker: CircuitBreaker = {
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
    stats: () => ({ rejectedMessages }),
    onStateChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      sendFarewell(access, `${topic}.bye`, { tabId: me });
      if (halfOpenTimer !== undefined) clock.clearTimeout(halfOpenTimer);
      for (const answer of [...waitingClaims.values()]) answer(false);
      access.release();
    },
  };
  // Disposing the handle (an unmounted app) disposes the breaker.
  access.onDispose(() => breaker.dispose());
  return breaker;
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
