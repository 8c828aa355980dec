export { createRpc } from './rpc.ts';
export { CircuitOpenError, NoHandlerError, RemoteError, RpcTargetGoneError, RpcTimeoutError } from './errors.ts';

export type { RequestOptions, Rpc, RpcContext, RpcHandler, RpcOptions } from './rpc.ts';
export type { SerializedError } from './errors.ts';
export type { PresenceLike } from './bus-link.ts';
