import type { Message } from '@switchboard/bus';

const KEY = Symbol.for('switchboard.custody');

interface CustodyRegistry {
  readonly version: number;
  readonly marks: WeakMap<object, 'here' | 'elsewhere'>;
}

/**
 * Who stores a message that an adapter brought in from outside the origin (the MQTT bridge, for
 * one): `'here'` when this tab's history must store it (the tab holding the broker connection),
 * `'elsewhere'` when another tab does, undefined for ordinary messages from other tabs. Adapters
 * mark the injected message object in a registry on `globalThis[Symbol.for('switchboard.custody')]`
 * (shared by bundled copies); the mark never travels with the message.
 */
export function injectedCustody(message: Message): 'here' | 'elsewhere' | undefined {
  const registry = (globalThis as { [KEY]?: CustodyRegistry })[KEY];
  return registry?.marks.get(message);
}
