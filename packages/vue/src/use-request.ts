import { type Ref, type ShallowRef, ref, shallowRef } from 'vue';
import { missingRpc } from './errors.ts';
import { whileActive } from './lifecycle.ts';
import type { CallArgs, CallOptions, RpcSource } from '@switchboard/bus/internal';
import { injectSwitchboard } from './switchboard.ts';

/** Where the latest call stands. */
export type RequestStatus = 'idle' | 'pending' | 'success' | 'error';

/** What {@link useRequest} returns: the latest call's outcome as refs, and the ways to call. */
export interface UseRequestResult<P, R> {
  readonly status: Readonly<Ref<RequestStatus>>;
  /** The latest call's result, once it succeeded. */
  readonly data: Readonly<ShallowRef<R | undefined>>;
  /** Why the latest call failed (a timeout, no handler, the handler's error). */
  readonly error: Readonly<ShallowRef<unknown>>;
  /** Calls the method; the outcome lands in `status`, `data` and `error`, never in a rejection. */
  call(...args: CallArgs<P>): void;
  /** Calls the method and returns the result too (it rejects on failure: catch it). */
  callAsync(...args: CallArgs<P>): Promise<R>;
  /** Back to `idle`; a call still running no longer updates the refs. */
  reset(): void;
}

/** Options of {@link useRequest}. */
export interface UseRequestOptions {
  /** The RPC endpoint to call through. @default the provided `rpc` */
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

/** The error of a call was put in `error`; the promise `call` drops has nothing more to say. */
function alreadyInState(): void {}

/**
 * Calls an RPC method (`createRpc` from `@switchboard/patterns`) and keeps the latest call's
 * outcome in refs. Only the latest call updates them, and nothing is updated once the component
 * is unmounted. Typed by a method map through `createComposables<Topics, Methods>()`.
 *
 * @example
 * import { useRequest } from '@switchboard/vue';
 * import { defineComponent, h } from 'vue';
 * export const Reserve = defineComponent((props: { sku: string }) => {
 *   const reserve = useRequest('inventory.reserve', { timeout: 2000 });
 *   return () =>
 *     h('button', { disabled: reserve.status.value === 'pending', onClick: () => reserve.call({ sku: props.sku, quantity: 1 }) },
 *       reserve.status.value === 'error' ? 'Try again' : 'Reserve');
 * }, { props: ['sku'] });
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped, params and result are what the caller says; createComposables<Topics, Methods>() types them.
export function useRequest(method: string, options: UseRequestOptions = {}): UseRequestResult<any, any> {
  const rpc = options.rpc ?? injectSwitchboard()?.rpc;
  const status = ref<RequestStatus>('idle');
  const data = shallowRef<unknown>();
  const error = shallowRef<unknown>();
  const running = new Set<AbortController>();
  let latestCall = 0;
  let active = true;

  whileActive('useRequest', () => {
    // Mounted on the client: a server render without an rpc is fine, it never calls.
    if (rpc === undefined) throw missingRpc(method);
    return () => {
      active = false;
      if (options.abortOnUnmount !== true) return;
      for (const controller of running) controller.abort(new Error('useRequest(): the component unmounted'));
    };
  });

  const settle = (id: number, next: RequestStatus, value: unknown, failure: unknown): void => {
    if (!active || id !== latestCall) return;
    status.value = next;
    data.value = value;
    error.value = failure;
  };

  async function callAsync(params?: unknown, callOptions: CallOptions = {}): Promise<unknown> {
    const id = ++latestCall;
    const controller = new AbortController();
    const stop = (): void => controller.abort(callOptions.signal?.reason);
    if (callOptions.signal?.aborted) stop();
    callOptions.signal?.addEventListener('abort', stop, { once: true });
    running.add(controller);
    settle(id, 'pending', undefined, undefined);
    try {
      if (rpc === undefined) throw missingRpc(method);
      const result = await rpc.request(method, params, {
        ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
        ...callOptions,
        signal: controller.signal,
      });
      settle(id, 'success', result, undefined);
      return result;
    } catch (failure) {
      settle(id, 'error', undefined, failure);
      throw failure;
    } finally {
      running.delete(controller);
      callOptions.signal?.removeEventListener('abort', stop);
    }
  }

  return {
    status,
    data,
    error,
    call: (params?: unknown, callOptions?: CallOptions) =>
      void callAsync(params, callOptions).then(undefined, alreadyInState),
    callAsync,
    reset() {
      latestCall++;
      status.value = 'idle';
      data.value = undefined;
      error.value = undefined;
    },
  };
}
