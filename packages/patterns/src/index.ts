export { createRpc } from './rpc.ts';
export { createAggregator } from './aggregator.ts';
export { createSaga } from './saga.ts';
export { createMemorySagaLog } from './saga-log.ts';
export { createCircuitBreaker } from './circuit-breaker.ts';
export { CircuitOpenError, NoHandlerError, RemoteError, RpcTargetGoneError, RpcTimeoutError } from './errors.ts';

export type { RequestOptions, Rpc, RpcContext, RpcHandler, RpcOptions } from './rpc-api.ts';
export type {
  AggregateInfo,
  AggregateQuery,
  AggregateResult,
  Aggregator,
  AggregatorOptions,
  MissingSource,
  Responder,
} from './aggregator.ts';
export type { ExecuteSagaOptions, Saga, SagaOptions, SagaResult, SagaStep, SagaStepContext } from './saga.ts';
export type { SagaLog, SagaRecord, SagaStepRecord, SagaStepStatus } from './saga-log.ts';
export type {
  CircuitBreaker,
  CircuitBreakerStats,
  CircuitBreakerOptions,
  CircuitState,
  CircuitStateEvent,
  ExecuteOptions,
} from './circuit-breaker.ts';
export type { SerializedError } from './errors.ts';
export type { PresenceLike } from './bus-link.ts';
