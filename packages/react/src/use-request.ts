import { useCallback, useEffect, useInsertionEffect, useMemo, useRef, useState } from 'react';
import { missingRpc } from './errors.ts';
import type { CallArgs, CallOptions, RpcSource } from '@switchboard/bus/internal';
import { useSwitchboard } from './switchboard-provider.ts';

/** Where the latest call stands. */
export type RequestStatus = 'idle' | 'pending' | 'success' | 'error';

/** The state of a {@link useRequest}: the outcome of its latest call. */
export interface RequestState<R> {
  readonly status: RequestStatus;
  /** The latest call's result, once it succeeded. */
  readonly data: R | undefined;
  /** Why the latest call failed (a timeout, no handler, the handler's error). */
  readonly error: unknown;
}

/** What {@link useRequest} returns: the latest call's state and the ways to call. */
export interface UseRequestResult<P, R> extends RequestState<R> {
  /** Calls the method; the outcome lands in `status`, `data` and `error`, never in a rejection. */
  call(...args: CallArgs<P>): void;
  /** Calls the method and returns the result too (it rejects on failure: catch it). */
  callAsync(...args: CallArgs<P>): Promise<R>;
  /** Back to `idle`; a call still running no longer updates the state. */
  reset(): void;
}

/** Options of {@link useRequest}. */
export interface UseRequestOptions {
  /** The RPC endpoint to call through. @default the nearest `SwitchboardProvider`'s `rpc` */
  rpc?: RpcSource | undefined;
  /** Default `timeout` of each call, in ms. @default the rpc's */
  timeout?: number | undefined;
  /**
   * Abort calls still running when the component unmounts (the handler's signal aborts too).
   * Off by default: a call the user started (a reservation, a payment) finishes, and only its
   * result is no longer shown.
   * @default false
   */
  abortOnUnmount?: boolean | undefined;
}

const IDLE: RequestState<never> = { status: 'idle', data: undefined, error: undefined };

/** The error of a call was put in the state; the promise `call` drops has nothing more to say. */
function alreadyInState(): void {}

/**
 * Calls an RPC method (`createRpc` from `@switchboard/patterns`) and keeps the latest call's
 * outcome as state. `call` and `callAsync` are stable across renders. Only the latest call
 * updates the state, and nothing is updated after unmount. Typed by a method map through
 * `createHooks<Topics, Methods>()`; untyped, the result is `any`.
 *
 * @example
 * import { useRequest } from '@switchboard/react';
 * function Reserve({ sku }: { sku: string }) {
 *   const reserve = useRequest('inventory.reserve', { timeout: 2000 });
 *   return (
 *     <button disabled={reserve.status === 'pending'} onClick={() => reserve.call({ sku, quantity: 1 })}>
 *       {reserve.status === 'error' ? 'Try again' : 'Reserve'}
 *     </button>
 *   );
 * }
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped, params and result are what the caller says; createHooks<Topics, Methods>() types them.
export function useRequest(method: string, options: UseRequestOptions = {}): UseRequestResult<any, any> {
  const context = useSwitchboard();
  const rpc = options.rpc ?? context?.rpc;
  const { timeout, abortOnUnmount = false } = options;
  const [state, setState] = useState<RequestState<unknown>>(IDLE);
  const latestCall = useRef(0);
  // True until unmount: a child's effect may call before this component's own effects ran.
  const mounted = useRef(true);
  const running = useRef(new Set<AbortController>());
  const abortOnUnmountRef = useRef(abortOnUnmount);
  useInsertionEffect(() => {
    abortOnUnmountRef.current = abortOnUnmount;
  });

  // On the client only: a server render without an rpc is fine, it never calls.
  useEffect(() => {
    if (rpc === undefined) throw missingRpc(method);
  }, [rpc, method]);
  useEffect(() => {
    mounted.current = true;
    const calls = running.current;
    return () => {
      mounted.current = false;
      if (!abortOnUnmountRef.current) return;
      for (const controller of calls) controller.abort(new Error('useRequest(): the component unmounted'));
    };
  }, []);

  const callAsync = useCallback(
    async (params?: unknown, callOptions: CallOptions = {}): Promise<unknown> => {
      const id = ++latestCall.current;
      const controller = new AbortController();
      const stop = (): void => controller.abort(callOptions.signal?.reason);
      if (callOptions.signal?.aborted) stop();
      callOptions.signal?.addEventListener('abort', stop, { once: true });
      running.current.add(controller);
      const settle = (next: RequestState<unknown>): void => {
        if (mounted.current && latestCall.current === id) setState(next);
      };
      settle({ status: 'pending', data: undefined, error: undefined });
      try {
        if (rpc === undefined) throw missingRpc(method);
        const data = await rpc.request(method, params, {
          ...(timeout === undefined ? {} : { timeout }),
          ...callOptions,
          signal: controller.signal,
        });
        settle({ status: 'success', data, error: undefined });
        return data;
      } catch (error) {
        settle({ status: 'error', data: undefined, error });
        throw error;
      } finally {
        running.current.delete(controller);
        callOptions.signal?.removeEventListener('abort', stop);
      }
    },
    [rpc, method, timeout],
  );

  const call = useCallback(
    (params?: unknown, callOptions?: CallOptions): void =>
      void callAsync(params, callOptions).then(undefined, alreadyInState),
    [callAsync],
  );
  const reset = useCallback(() => {
    latestCall.current++;
    setState(IDLE);
  }, []);
  return useMemo(() => ({ ...state, call, callAsync, reset }), [state, call, callAsync, reset]);
}
