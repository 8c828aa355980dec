import type { Clock } from '@switchboard/bus';
import type { SerializedError } from './errors.ts';
import type { SagaLog } from './saga-log.ts';
import type { SagaLockManager } from './saga-lock.ts';

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
