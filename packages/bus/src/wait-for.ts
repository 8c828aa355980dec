import type { Clock } from './clock.ts';
import { SwitchboardError, TimeoutError } from './errors.ts';
import type { Message } from './message.ts';

/** Options of `bus.waitFor`. */
export interface WaitForOptions<T = unknown> {
  /** Only a message for which this returns true resolves the wait. */
  predicate?: (message: Message<T>) => boolean;
  /** Rejects with a `TimeoutError` after this many ms. @default no timeout */
  timeout?: number;
  /** Rejects with an `ABORTED` error when aborted. */
  signal?: AbortSignal;
}

interface WaitForDeps {
  subscribe(pattern: string, handler: (message: Message) => void, options: { signal?: AbortSignal }): () => void;
  /** Registers a callback run when the bus is disposed; returns its removal. */
  onDispose(cleanup: () => void): () => void;
  app: string;
  clock: Clock;
}

/** Builds `bus.waitFor`: the next matching message, as a promise that always settles or is aborted. */
export function createWaitFor(deps: WaitForDeps) {
  return function waitFor<T>(pattern: string, options: WaitForOptions<T> = {}): Promise<Message<T>> {
    return new Promise<Message<T>>((resolve, reject) => {
      const { predicate, timeout, signal } = options;
      const fail = (error: unknown): void => {
        cleanup();
        reject(error);
      };
      if (signal?.aborted) {
        reject(abortError(pattern, signal));
        return;
      }
      let timer: unknown;
      const unsubscribe = deps.subscribe(
        pattern,
        (message) => {
          let matches: boolean;
          try {
            matches = predicate ? predicate(message as Message<T>) : true;
          } catch (error) {
            fail(error);
            return;
          }
          if (!matches) return;
          cleanup();
          resolve(message as Message<T>);
        },
        {},
      );
      const onAbort = (): void => fail(abortError(pattern, signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      const removeDisposeHook = deps.onDispose(() =>
        fail(
          new SwitchboardError(
            'BUS_DISPOSED',
            `waitFor('${pattern}'): the bus of app '${deps.app}' was disposed while waiting.`,
          ),
        ),
      );
      if (timeout !== undefined) {
        timer = deps.clock.setTimeout(() => {
          fail(
            new TimeoutError(
              'TIMEOUT',
              `waitFor('${pattern}'): no matching message within ${timeout} ms; check that something publishes it.`,
            ),
          );
        }, timeout);
      }
      function cleanup(): void {
        unsubscribe();
        removeDisposeHook();
        signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) deps.clock.clearTimeout(timer);
      }
    });
  };
}

function abortError(pattern: string, signal: AbortSignal): SwitchboardError {
  return new SwitchboardError('ABORTED', `waitFor('${pattern}'): aborted before a matching message arrived.`, {
    cause: signal.reason,
  });
}
