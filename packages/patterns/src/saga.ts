import { SwitchboardError, TimeoutError, type AnyBus, type Clock } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { helperAccess, randomId } from './helper-access.ts';
import { abortedError, serializeError, type SerializedError } from './errors.ts';
import type { SagaEventsByKind } from './saga-events.ts';
import { platformLocks, type SagaLockManager } from './saga-lock.ts';
import { createSagaRuns } from './saga-runs.ts';
import type { SagaLog, SagaRecord } from './saga-log.ts';

/**
 * What a step's action and compensation receive. `R` types the results of the steps before this
 * one, `T` this step's own result (given to its compensation).
 */
export interface SagaStepContext<I = unknown, R extends readonly unknown[] = readonly unknown[], T = unknown> {
  readonly sagaId: string;
  readonly input: I;
  /** Results of the steps before this one (all steps, for a compensation). */
  readonly results: R;
  /** Index of this step, from 0. */
  readonly step: number;
  /** Aborted when the saga is aborted or the step times out. */
  readonly signal: AbortSignal;
  /** This step's action result (compensations only; read from the log after a restart). */
  readonly result?: T;
  /**
   * The same for every run of this step's action (`<sagaId>:<step>:action`) or compensation
   * (`<sagaId>:<step>:compensation`), in any tab. Send it to the service the step calls (as an
   * `Idempotency-Key` header, say): a compensation interrupted by a closed tab is run again by
   * the tab that takes the saga over, and the service can then drop the repeat.
   */
  readonly idempotencyKey: string;
  /**
   * True for a compensation that an earlier run started and never logged as finished (its tab
   * closed or crashed mid-way): it may have taken effect already.
   */
  readonly rerun: boolean;
  /** Stops the saga with a reason: the step fails and completed steps are compensated. */
  abort(reason: string): never;
}

/**
 * One step, whose action resolves with `T`; `R` types the results of the steps before it. Give
 * durable sagas' steps stable names and cloneable results.
 */
export interface SagaStep<I = unknown, T = unknown, R extends readonly unknown[] = readonly unknown[]> {
  /** Shown in events and errors. @default `step <n>` */
  name?: string;
  action(context: SagaStepContext<I, R>): T | Promise<T>;
  /** Undoes the action; receives the action's result as `context.result`. */
  compensation?(context: SagaStepContext<I, R, T>): unknown;
  /** Milliseconds before the action (or compensation) fails with a timeout. @default the saga's `stepTimeoutMs` */
  timeoutMs?: number;
}

/** Options of {@link createSaga}. */
export interface SagaOptions<I = unknown> {
  /** Names the saga in events and in the durable log. @default 'saga' */
  name?: string;
  steps?: ReadonlyArray<SagaStep<I>>;
  /** Default per-step timeout in ms. @default Infinity */
  stepTimeoutMs?: number;
  /** Where to log progress so an interrupted saga is finished by the next start in any tab. */
  durable?: SagaLog;
  /**
   * What to do with a saga found interrupted: `compensate` undoes its completed steps; `resume`
   * runs its remaining steps (a step caught mid-action is never run again: the saga then
   * compensates).
   * @default 'compensate'
   */
  onInterrupted?: 'compensate' | 'resume';
  /** How long a running durable saga holds its lease before another tab may take it over. @default 10000 */
  leaseMs?: number;
  /** First segment of the progress topics (`saga.step.completed`…). @default 'saga' */
  topicPrefix?: string;
  /** Look for interrupted sagas of this name right away (durable only). @default true */
  recover?: boolean;
  /** Time source for timeouts and leases. @default systemClock */
  clock?: Clock;
  /**
   * Web Locks for durable sagas: the tab driving a saga holds its lock, so no two tabs ever run
   * it at once, and the tab that takes an interrupted saga over does so as soon as the browser
   * releases the lock of the one that closed. `false` relies on leases alone. Pass
   * `createFakeLocks().forTab(id)` from `@switchboard/testing` in unit tests.
   * @default navigator.locks where it exists
   */
  locks?: SagaLockManager | false;
}

/** A saga that ran every step: `results` holds each step's result, in order. */
export interface SagaSuccess<R extends readonly unknown[] = readonly unknown[]> {
  readonly success: true;
  readonly error?: undefined;
  readonly sagaId: string;
  /** Action results by step. */
  readonly results: R;
  /** Always empty: nothing was compensated. */
  readonly compensationErrors: ReadonlyArray<{ step: number; error: SerializedError }>;
}

/** A saga that stopped and compensated what it had done. */
export interface SagaFailure<R extends readonly unknown[] = readonly unknown[]> {
  readonly success: false;
  /** Why it failed (the step's error, a timeout, an abort). */
  readonly error: unknown;
  readonly sagaId: string;
  /** Results of the steps that completed before the failure (since compensated). */
  readonly results: Partial<R>;
  /** Compensations that threw, by step index. */
  readonly compensationErrors: ReadonlyArray<{ step: number; error: SerializedError }>;
}

/** How a saga ended; `success` tells which. */
export type SagaResult<R extends readonly unknown[] = readonly unknown[]> = SagaSuccess<R> | SagaFailure<R>;

/** Options of `execute`. */
export interface ExecuteSagaOptions {
  signal?: AbortSignal;
  /** @default a random id */
  sagaId?: string;
}

/**
 * A saga: steps run in order; when one fails, completed ones are compensated in reverse order.
 *
 * @example
 * import { createSaga } from '@switchboard/patterns';
 * const checkout = createSaga<{ orderId: string }>(bus, { name: 'checkout', stepTimeoutMs: 5000 })
 *   .addStep({ name: 'reserve', action: ({ input }) => reserve(input.orderId), compensation: ({ result }) => release(result) })
 *   .addStep({ name: 'pay', action: ({ input }) => pay(input.orderId), compensation: ({ result }) => refund(result) });
 * const outcome = await checkout.execute({ orderId: 'o1' });
 * if (outcome.success) console.log(outcome.results); // [reservation, payment], typed
 */
export interface Saga<I = unknown, R extends readonly unknown[] = readonly unknown[]> {
  readonly name: string;
  /**
   * Appends a step; returns the saga for chaining, typed with the step's result appended to
   * `R` (so the next steps and the result see it).
   */
  addStep<T>(step: SagaStep<I, T, R>): Saga<I, [...R, Awaited<T>]>;
  /** Runs the saga once; never rejects: failures are in the result. */
  execute(input?: I, options?: ExecuteSagaOptions): Promise<SagaResult<R>>;
  /** Finishes interrupted sagas of this name found in the log (durable only). */
  recover(): Promise<SagaResult<R>[]>;
  /** The automatic recovery started by `createSaga` (resolves to [] when there is none). */
  readonly recovery: Promise<SagaResult<R>[]>;
  /** Stops lease renewals and scheduled recoveries. */
  dispose(): void;
}

/**
 * Creates a saga. With `durable`, progress is logged before and after each step so that a saga
 * interrupted by a closed or crashed tab is compensated (or resumed) exactly once by the next
 * tab that creates a saga of this name; no action runs twice.
 *
 * Steps added with `addStep` type the saga's results one by one; steps given as `options.steps`
 * leave them `unknown` (the overload with steps comes first, so their callbacks are typed).
 *
 * @example
 * import { createMemorySagaLog, createSaga } from '@switchboard/patterns';
 * const saga = createSaga(bus, { name: 'transfer', durable: createMemorySagaLog(), steps: [debit, credit] });
 */
export function createSaga<I = unknown>(
  bus: AnyBus,
  options: SagaOptions<I> & { steps: ReadonlyArray<SagaStep<I>> },
): Saga<I>;
export function createSaga<I = unknown>(bus: AnyBus, options?: SagaOptions<I> & { steps?: undefined }): Saga<I, []>;
export function createSaga<I = unknown>(bus: AnyBus, options: SagaOptions<I>): Saga<I>;
export function createSaga<I = unknown>(bus: AnyBus, options: SagaOptions<I> = {}): Saga<I> {
  const name = options.name ?? 'saga';
  const steps: SagaStep<I>[] = [...(options.steps ?? [])];
  const clock = options.clock ?? systemClock;
  const log = options.durable;
  const leaseMs = options.leaseMs ?? 10_000;
  const prefix = options.topicPrefix ?? 'saga';
  // For its lifetime and error reports only: its events are the app's own topics.
  const access = helperAccess(bus, 'saga', `saga:${name}`, 'createSaga()');
  const owner = `${bus.tabId}~${randomId()}`;
  const timers = new Set<unknown>();
  let disposed = false;

  /**
   * Publishes a progress event through the bus the saga was given, as the app. An event the
   * bus refuses (a manifest without `saga.#`, a schema) is reported, and the saga goes on: its
   * steps and compensations matter more than the news of them.
   */
  function emit<K extends keyof SagaEventsByKind>(topic: K, payload: Omit<SagaEventsByKind[K], 'name'>): void {
    if (bus.disposed) return;
    try {
      bus.publish(`${prefix}.${topic}`, { name, ...payload });
    } catch (error) {
      access.reportError(error, { kind: 'adapter', adapter: `saga:${name}` });
    }
  }

  function stepName(index: number): string {
    return steps[index]?.name ?? `step ${index + 1}`;
  }

  /** Runs `fn` with the step's timeout and abort signal. */
  function guarded(
    index: number,
    kind: 'action' | 'compensation',
    signal: AbortSignal | undefined,
    fn: (context: SagaStepContext<I>) => unknown,
    base: Omit<SagaStepContext<I>, 'signal' | 'abort' | 'step' | 'idempotencyKey' | 'rerun'>,
    rerun = false,
  ): Promise<unknown> {
    const fnName = `saga '${name}' ${kind} of ${stepName(index)}`;
    const timeout = steps[index]?.timeoutMs ?? options.stepTimeoutMs ?? Infinity;
    const controller = new AbortController();
    return new Promise((resolve, reject) => {
      let timer: unknown;
      const finish = (settle: () => void): void => {
        if (timer !== undefined) {
          clock.clearTimeout(timer);
          timers.delete(timer);
        }
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = (): void => {
        controller.abort(signal!.reason);
        finish(() => reject(abortedError(fnName, signal!.reason)));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(timeout)) {
        timer = clock.setTimeout(() => {
          const error = new TimeoutError(
            'TIMEOUT',
            `${fnName}: did not finish within ${timeout} ms; raise the step's timeoutMs or make it faster.`,
          );
          controller.abort(error);
          finish(() => reject(error));
        }, timeout);
        timers.add(timer);
      }
      const context: SagaStepContext<I> = {
        ...base,
        step: index,
        idempotencyKey: `${base.sagaId}:${index}:${kind}`,
        rerun,
        signal: controller.signal,
        abort(reason) {
          throw new SwitchboardError(
            'ABORTED',
            `${fnName}: aborted (${reason}); completed steps are being compensated.`,
            { cause: reason },
          );
        },
      };
      new Promise((run) => run(fn(context))).then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  /** Drives a saga from wherever its record stands to its end. */
  async function drive(record: SagaRecord, signal: AbortSignal | undefined, interrupted: boolean): Promise<SagaResult> {
    const results = (): unknown[] => record.steps.map((s) => s.result);
    const base = (index: number) => ({
      sagaId: record.id,
      input: record.input as I,
      results: results().slice(0, index),
    });
    const compensationErrors: Array<{ step: number; error: SerializedError }> = [];
    let finished = false;
    let renewal: unknown;
    let writes = Promise.resolve(true);
    const persist = async (): Promise<void> => {
      if (log === undefined) return;
      record.leaseUntil = clock.now() + leaseMs;
      const snapshot = structuredClone(record);
      writes = writes.then(() => log.write(snapshot));
      if (!(await writes)) {
        throw new SwitchboardError(
          'STORAGE_FAILED',
          `saga '${name}' (${record.id}): another tab took this saga over after its lease expired; raise leaseMs if tabs are slow.`,
        );
      }
    };
    // Renews the lease while a step runs long, so other tabs do not take over a live saga.
    const renew = (): void => {
      if (log === undefined || finished || disposed) return;
      renewal = clock.setTimeout(() => {
        timers.delete(renewal);
        if (finished || disposed) return;
        persist().then(renew, (error: unknown) => void error);
      }, leaseMs / 3);
      timers.add(renewal);
    };
    const finish = async (): Promise<void> => {
      finished = true;
      if (renewal !== undefined) {
        clock.clearTimeout(renewal);
        timers.delete(renewal);
      }
      if (log === undefined) return;
      await writes;
      await log.remove(record.id, owner);
    };
    renew();
    let error: unknown = record.error;
    try {
      await persist();
      if (record.status === 'running' && interrupted && options.onInterrupted !== 'resume') {
        error = new SwitchboardError(
          'ABORTED',
          `saga '${name}' (${record.id}): its tab went away mid-way; compensating as onInterrupted: 'compensate' says.`,
        );
      } else if (record.status === 'running') {
        for (let index = 0; index < steps.length; index++) {
          const entry = record.steps[index];
          if (entry?.status === 'completed') continue;
          if (entry?.status === 'started') {
            error = new SwitchboardError(
              'ABORTED',
              `saga '${name}' (${record.id}): ${stepName(index)} was interrupted mid-action and is never run twice; compensating.`,
            );
            break;
          }
          record.steps[index] = { status: 'started' };
          await persist();
          try {
            const result = await guarded(index, 'action', signal, steps[index]!.action, base(index));
            record.steps[index] = result === undefined ? { status: 'completed' } : { status: 'completed', result };
          } catch (failure) {
            // The action failed (it did not complete), so it is not compensated.
            record.steps.length = index;
            error = failure;
            break;
          }
          await persist();
          emit('step.completed', {
            sagaId: record.id,
            step: index + 1,
            stepName: stepName(index),
            total: steps.length,
          });
        }
        if (error === undefined) {
          await finish();
          emit('completed', { sagaId: record.id });
          return { success: true, sagaId: record.id, results: results(), compensationErrors };
        }
      }
      if (record.status === 'running') {
        record.status = 'compensating';
        record.error = serializeError(error);
        await persist();
        emit('failed', { sagaId: record.id, error: record.error, interrupted });
      }
      for (let index = record.steps.length - 1; index >= 0; index--) {
        const entry = record.steps[index]!;
        // A step logged as compensated (or failed to) is never compensated again.
        if (entry.status !== 'completed' && entry.status !== 'compensating') continue;
        const compensation = steps[index]?.compensation;
        const rerun = entry.status === 'compensating';
        if (compensation !== undefined) {
          // Logged before it runs: a tab that takes over after this one closed knows the
          // compensation may have taken effect, and runs it again with the same key.
          entry.status = 'compensating';
          await persist();
        }
        try {
          if (compensation !== undefined) {
            await guarded(
              index,
              'compensation',
              undefined,
              compensation,
              { ...base(index), results: results(), result: entry.result },
              rerun,
            );
          }
          entry.status = 'compensated';
          emit('step.compensated', { sagaId: record.id, step: index + 1, stepName: stepName(index) });
        } catch (failure) {
          entry.status = 'compensation-failed';
          entry.error = serializeError(failure);
          compensationErrors.push({ step: index, error: entry.error });
          emit('compensation.failed', {
            sagaId: record.id,
            step: index + 1,
            stepName: stepName(index),
            error: entry.error,
          });
        }
        await persist();
      }
      await finish();
      return {
        success: false,
        error: error ?? record.error,
        sagaId: record.id,
        results: results(),
        compensationErrors,
      };
    } catch (failure) {
      finished = true;
      if (renewal !== undefined) clock.clearTimeout(renewal);
      // The log failed or another tab owns the saga now: stop without touching anything more.
      return { success: false, error: failure, sagaId: record.id, results: results(), compensationErrors };
    }
  }

  const runs = createSagaRuns({
    name,
    log,
    locks: log === undefined || options.locks === false ? undefined : (options.locks ?? platformLocks()),
    owner,
    leaseMs,
    clock,
    timers,
    drive,
    disposed: () => disposed,
  });

  const saga: Saga<I> = {
    name,
    addStep<T>(step: SagaStep<I, T>) {
      if (typeof step?.action !== 'function') {
        throw new SwitchboardError(
          'INVALID_OPTION',
          `addStep(): saga '${name}' needs a step with an action function, as in { action: async () => …, compensation: async () => … }.`,
        );
      }
      steps.push(step as SagaStep<I>);
      // The same saga: only its type grows by the step's result.
      return saga as unknown as Saga<I, [...(readonly unknown[]), Awaited<T>]>;
    },
    execute(input, executeOptions = {}) {
      const sagaId = executeOptions.sagaId ?? randomId();
      const record: SagaRecord = {
        id: sagaId,
        name,
        input,
        status: 'running',
        steps: [],
        owner,
        leaseUntil: 0,
        startedAt: clock.now(),
      };
      return runs.start(record, executeOptions.signal);
    },
    recover: runs.recover,
    recovery:
      log !== undefined && options.recover !== false
        ? // A microtask later, so steps added with addStep() right after createSaga() are known.
          Promise.resolve().then(runs.recover)
        : Promise.resolve([]),
    dispose() {
      if (disposed) return;
      disposed = true;
      runs.dispose();
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
      access.release();
    },
  };
  // Disposing the handle (an unmounted app) disposes the saga.
  access.onDispose(() => saga.dispose());
  return saga;
}
