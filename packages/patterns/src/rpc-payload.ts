import { isSwitchboardError, SwitchboardError } from '@switchboard/bus';
import { findUncloneable } from '@switchboard/bus/internal';

/**
 * Why `params` cannot travel to another tab, as the caller's own error: `request('calc'):
 * params.f (function f) cannot be sent…`, not the internal topic the bus would name. Undefined
 * when they clone. Runs the structured clone too, so a Proxy is told at once, not after
 * discovery (the walk alone cannot see one).
 */
export function paramsError(method: string, params: unknown): SwitchboardError | undefined {
  const refused = findUncloneable(params, 'params');
  if (refused !== undefined) return notCloneable(method, refused);
  try {
    structuredClone(params);
    return undefined;
  } catch (error) {
    return notCloneable(method, `params (${error instanceof Error ? error.message : String(error)})`, error);
  }
}

/**
 * Restates an error thrown while publishing an RPC message (`publish('$sys.rpc.request'):
 * payload.params.f …`) in the caller's terms; other errors are returned unchanged.
 */
export function rpcSendError(method: string, error: unknown): unknown {
  if (!isSwitchboardError(error, 'NOT_CLONEABLE') && !isSwitchboardError(error, 'PAYLOAD_TOO_LARGE')) return error;
  const { path, reason } = error as { path?: unknown; reason?: unknown };
  const where = typeof path === 'string' ? path.replace(/^payload\./, '') : 'the message';
  const why = typeof reason === 'string' ? reason : error.message;
  if (error.code === 'PAYLOAD_TOO_LARGE') {
    return new SwitchboardError(
      'PAYLOAD_TOO_LARGE',
      `request('${method}'): ${where} is too large to send to another tab (${why}); send an id and load the data where it is needed.`,
      { cause: error },
    );
  }
  return notCloneable(method, `${where} (${why})`, error);
}

function notCloneable(method: string, what: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    'NOT_CLONEABLE',
    `request('${method}'): ${what} cannot be sent to another tab; pass plain data (objects, arrays, strings, numbers, Dates, Maps…).`,
    cause === undefined ? undefined : { cause },
  );
}
