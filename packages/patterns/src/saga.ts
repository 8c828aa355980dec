import { SwitchboardError, type AnyBus } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import { helperAccess, randomId } from './helper-access.ts';
import { serializeError, type SerializedError } from './errors.ts';
import type { SagaEventsByKind } from './saga-events.ts';
import { platformLocks } from './saga-lock.ts';
import { createSagaRuns } from './saga-runs.ts';
import type { SagaRecord } from './saga-log.ts';
import { runGuarded } from './saga-step.ts';
import type { Saga, SagaOptions, SagaResult, SagaStep, SagaStepContext } from './saga-types.ts';

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
    return runGuarded({
      label: `saga '${name}' ${kind} of ${stepName(index)}`,
      timeoutMs: steps[index]?.timeoutMs ?? options.stepTimeoutMs ?? Infinity,
      clock,
      timers,
      signal,
      fn,
      context: { ...base, step: index, idempotencyKey: `${base.sagaId}:${index}:${kind}`, rerun },
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
        // A renewal refused (another tab took the saga over) or failed stops the renewals; the
        // step's own next write then ends the saga with that error. Reported now, as it happens.
        persist().then(renew, (error: unknown) =>
          access.reportError(error, { kind: 'adapter', adapter: `saga:${name}` }),
        );
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
