import {
  isSwitchboardError,
  SwitchboardError,
  systemAccess,
  type AnyBus,
  type Message,
  type SystemAccess,
} from '@switchboard/bus';

/**
 * What `@switchboard/cross-tab` provides under the service name `'presence'`. Declared here
 * structurally so the helpers do not depend on the cross-tab package.
 */
export interface PresenceLike {
  tabs(): ReadonlyArray<{ readonly tabId: string; readonly leader?: boolean }>;
  onChange?(callback: () => void): () => void;
}

/**
 * A helper's access to its `$sys.<namespace>.` topics on a full bus or an app's handle: it acts
 * as the handle's app, within what the host granted, and ends with the handle. `fn` names the
 * helper's factory in the error when `bus` is neither.
 */
export function helperAccess(bus: AnyBus, namespace: string, name: string, fn: string): SystemAccess {
  try {
    return systemAccess(bus, namespace, { name });
  } catch (error) {
    // A refused namespace is the host's decision and speaks for itself; a wrong argument is ours.
    if (!isSwitchboardError(error, 'INVALID_OPTION')) throw error;
    throw new SwitchboardError('INVALID_OPTION', `${fn}: ${error.message}`, { cause: error });
  }
}

/** True when no transport links this bus to other tabs: everything is local. */
export function isAlone(access: SystemAccess): boolean {
  return access.lookup('leadership') === undefined && access.lookup('presence') === undefined;
}

/**
 * Publishes a helper's goodbye while it is being disposed. When the whole bus is disposed
 * nothing can be sent, and other tabs learn that the tab left from cross-tab instead; any other
 * failure is reported.
 */
export function sendFarewell(access: SystemAccess, topic: string, payload: unknown): Message | undefined {
  try {
    return access.publish(topic, payload);
  } catch (error) {
    if (!isSwitchboardError(error, 'BUS_DISPOSED')) {
      access.reportError(error, { kind: 'adapter', adapter: access.namespace });
    }
    return undefined;
  }
}

/** A random id of topic-segment characters, unique enough to correlate calls across tabs. */
export function randomId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += (byte % 36).toString(36);
  return id;
}
