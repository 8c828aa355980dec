export { createRpc } from './rpc.ts';
export { createAggregator } from './aggregator.ts';
export { createSaga } from './saga.ts';
export { createMemorySagaLog } from './saga-log.ts';
export { createCircuitBreaker } from './circuit-breaker.ts';
export {
  CircuitOpenError,
  isCircuitOpenError,
  isNoHandlerError,
  isRemoteError,
  isRpcTargetGoneError,
  isRpcTimeoutError,
  NoHandlerError,
  RemoteError,
  RpcTargetGoneError,
  RpcTimeoutError,
} from './errors.ts';

export type {
  AnyRpc,
  AnyRpcMethods,
  MethodName,
  ParamsOf,
  RequestArgs,
  RequestOptions,
  ResultOf,
  Rpc,
  RpcContext,
  RpcHandler,
  RpcMethods,
  RpcOptions,
  TypedMethodName,
  UntypedMethod,
} from './rpc-api.ts';
export type {
  AggregateInfo,
  AggregateQuery,
  AggregateResult,
  Aggregator,
  AggregatorOptions,
  MissingSource,
  Responder,
  SourceResults,
  SourceValues,
} from './aggregator.ts';
export type {
  ExecuteSagaOptions,
  Saga,
  SagaFailure,
  SagaOptions,
  SagaResult,
  SagaStep,
  SagaStepContext,
  SagaSuccess,
} from './saga-types.ts';
export type {
  SagaCompensationFailedEvent,
  SagaCompletedEvent,
  SagaEventBase,
  SagaFailedEvent,
  SagaStepCompensatedEvent,
  SagaStepCompletedEvent,
  SagaTopics,
} from './saga-events.ts';
export type { SagaLog, SagaRecord, SagaStepRecord, SagaStepStatus } from './saga-log.ts';
export type {
  CircuitBreaker,
  CircuitBreakerStats,
  CircuitBreakerOptions,
  CircuitState,
  CircuitStateEvent,
  ExecuteOptions,
} from './circuit-breaker.ts';
export type { PatternsErrorCode, SerializedError } from './errors.ts';
export type { PresenceLike } from './helper-access.ts';
