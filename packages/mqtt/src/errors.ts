import { isSwitchboardError, SwitchboardError, type SwitchboardErrorCode } from '@switchboard/bus';

/**
 * What part of the bridge failed, so `onError` handlers can react to each case without parsing
 * messages.
 */
export type MqttFailure =
  /** The broker refused the connection (bad credentials, banned, not authorized…): `reasonCode`. */
  | 'connect-refused'
  /** The broker refused a publish (an ACL denial is PUBACK reason code 135): `topic`, `reasonCode`. */
  | 'publish-refused'
  /** The broker refused a subscription (SUBACK reason code ≥ 128): `topic`, `reasonCode`. */
  | 'subscribe-refused'
  /** The connection failed or dropped (network, broker down); the bridge reconnects with backoff. */
  | 'connection'
  /** The `token` option rejected; the bridge retries with backoff. */
  | 'token'
  /** A broker topic has no bus form (an empty level, a `.`, a character topics do not allow). */
  | 'unmappable-topic'
  /** A payload that JSON cannot carry unchanged (a Map, a Date, a function…), refused at publish. */
  | 'not-encodable'
  /** A message from the broker whose Switchboard properties are malformed; it was dropped. */
  | 'malformed'
  /** The IndexedDB outbox failed or overflowed: messages were dropped (`topic` of the first). */
  | 'outbox'
  /**
   * The bridge's own permissions (`options.permissions`, from the manifest) refused a message:
   * one from the broker it may not publish on the bus, or one from the bus it may not send out.
   */
  | 'permission-denied';

/**
 * An error of `@switchboard/mqtt`. It is a Switchboard error (recognise it with
 * {@link isMqttError}); `failure` says which part failed, `topic` the bus topic concerned (when
 * one is) and `reasonCode` the MQTT 5 reason code the broker gave (when it gave one).
 *
 * @example
 * import { isMqttError } from '@switchboard/mqtt';
 * const bus = createPubSub({
 *   app: 'shell',
 *   onError: (e) => { if (isMqttError(e) && e.failure === 'publish-refused') alert(`${e.topic}: not allowed`); },
 * });
 */
export class MqttError extends SwitchboardError {
  override name = 'MqttError';
  readonly failure: MqttFailure;
  /** The bus topic concerned, when there is one. */
  readonly topic: string | undefined;
  /** The broker's MQTT 5 reason code (135: not authorized), when it gave one. */
  readonly reasonCode: number | undefined;

  constructor(
    code: SwitchboardErrorCode,
    failure: MqttFailure,
    message: string,
    details: { topic?: string | undefined; reasonCode?: number | undefined; cause?: unknown } = {},
  ) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.failure = failure;
    this.topic = details.topic;
    this.reasonCode = details.reasonCode;
  }
}

/**
 * True when `value` is an {@link MqttError} from any bundled copy of this package.
 *
 * @example
 * import { isMqttError } from '@switchboard/mqtt';
 * if (isMqttError(error) && error.reasonCode === 135) console.warn(`${error.topic}: denied by the broker`);
 */
export function isMqttError(value: unknown): value is MqttError {
  // The brand check works across bundled copies, where `instanceof MqttError` would not.
  return isSwitchboardError(value) && value.name === 'MqttError' && typeof (value as MqttError).failure === 'string';
}
