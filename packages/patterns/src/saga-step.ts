import { SwitchboardError, TimeoutError, type Clock } from '@switchboard/bus';
import { abortedError } from './errors.ts';
import type { SagaStepContext } from './saga-types.ts';

/** One run of a step's action or compensation, and what bounds it. */
export interface GuardedRun<I> {
  /** Names the run in errors: `saga 'checkout' action of pay`. */
  readonly label: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** The saga's pending timers, cleared when it is disposed. */
  readonly timers: Set<unknown>;
  /** The saga's abort signal (actions only). */
  readonly signal: AbortSignal | undefined;
  readonly fn: (context: SagaStepContext<I>) => unknown;
  readonly context: Omit<SagaStepContext<I>, 'signal' | 'abort'>;
}

/**
 * Runs a step's action or compensation. It rejects on the step's timeout or the saga's abort,
 * and aborts the signal the step was given, so work the step started can stop too.
 */
export function runGuarded<I>(run: GuardedRun<I>): Promise<unknown> {
  const { label, timeoutMs, clock, timers, signal } = run;
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
      finish(() => reject(abortedError(label, signal!.reason)));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(timeoutMs)) {
      timer = clock.setTimeout(() => {
        const error = new TimeoutError(
          'TIMEOUT',
          `${label}: did not finish within ${timeoutMs} ms; raise the step's timeoutMs or make it faster.`,
        );
        controller.abort(error);
        finish(() => reject(error));
      }, timeoutMs);
      timers.add(timer);
    }
    const context: SagaStepContext<I> = {
      ...run.context,
      signal: controller.signal,
      abort(reason) {
        throw new SwitchboardError('ABORTED', `${label}: aborted (${reason}); completed steps are being compensated.`, {
          cause: reason,
        });
      },
    };
    new Promise((start) => start(run.fn(context))).then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
