import type { SerializedError } from './errors.ts';

/** What every saga event carries: the saga's name and the run's id. */
export interface SagaEventBase {
  /** The saga's `name` option. */
  readonly name: string;
  /** The run (`execute`'s `sagaId`, or a random id). */
  readonly sagaId: string;
}

/** `<prefix>.step.completed`: a step's action finished. */
export interface SagaStepCompletedEvent extends SagaEventBase {
  /** From 1. */
  readonly step: number;
  readonly stepName: string;
  /** Steps in the saga. */
  readonly total: number;
}

/** `<prefix>.completed`: every step finished. */
export interface SagaCompletedEvent extends SagaEventBase {}

/** `<prefix>.failed`: a step failed; completed steps are being compensated. */
export interface SagaFailedEvent extends SagaEventBase {
  readonly error: SerializedError;
  /** True when a tab found the saga interrupted (its own tab went away) and finished it. */
  readonly interrupted: boolean;
}

/** `<prefix>.step.compensated`: a completed step was undone. */
export interface SagaStepCompensatedEvent extends SagaEventBase {
  readonly step: number;
  readonly stepName: string;
}

/** `<prefix>.compensation.failed`: a compensation threw; the others still run. */
export interface SagaCompensationFailedEvent extends SagaEventBase {
  readonly step: number;
  readonly stepName: string;
  readonly error: SerializedError;
}

/**
 * The topics a saga publishes its progress on, with their payloads, for a topic map: sagas with
 * `topicPrefix: P` (default `'saga'`) publish these.
 *
 * @example
 * import type { SagaTopics } from '@switchboard/patterns';
 * interface Topics extends SagaTopics {
 *   'orders.placed': { orderId: string };
 * }
 * // bus.subscribe('saga.failed', (m) => m.payload.error.message)
 */
export type SagaTopics<P extends string = 'saga'> = {
  [K in keyof SagaEventsByKind as `${P}.${K}`]: SagaEventsByKind[K];
};

/** Each event's payload by its topic after the prefix; `saga.ts` publishes them through it. */
export interface SagaEventsByKind {
  'step.completed': SagaStepCompletedEvent;
  completed: SagaCompletedEvent;
  failed: SagaFailedEvent;
  'step.compensated': SagaStepCompensatedEvent;
  'compensation.failed': SagaCompensationFailedEvent;
}
