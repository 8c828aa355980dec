import type { MqttError } from '../errors.ts';
import type { MqttClientError } from './client.ts';
import { describeReasonCode } from './reason-codes.ts';

/** An error's message, or the thrown value as text. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a failed connection attempt tells the app: a refusal by the broker (a reason code of 128
 * or more: credentials, client id) or a failure of the connection itself, retried with backoff.
 * `ErrorClass` is the bridge's own error class, handed to the lazily loaded connection code.
 */
export function classifyFailure(
  ErrorClass: typeof MqttError,
  error: MqttClientError,
  url: string,
  clientId: string | undefined,
): MqttError {
  const code = typeof error.code === 'number' ? error.code : undefined;
  if (code !== undefined && code >= 128) {
    return new ErrorClass(
      'REMOTE_ERROR',
      'connect-refused',
      `attachMqtt(): the broker at ${url} refused the connection (${describeReasonCode(code)}); check username, password or token, and the client id '${clientId}'.`,
      { reasonCode: code, cause: error },
    );
  }
  return new ErrorClass(
    'REMOTE_ERROR',
    'connection',
    `attachMqtt(): the connection to ${url} failed (${describe(error)}); reconnecting with backoff.`,
    { cause: error },
  );
}
