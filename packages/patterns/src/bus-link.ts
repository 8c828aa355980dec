import { SwitchboardError, type AdapterLink, type AnyBus, type Leadership, type PubSubBus } from '@switchboard/bus';

/**
 * What `@switchboard/cross-tab` provides under the service name `'presence'`. Declared here
 * structurally so the helpers do not depend on the cross-tab package.
 */
export interface PresenceLike {
  tabs(): ReadonlyArray<{ readonly tabId: string; readonly leader?: boolean }>;
  onChange?(callback: () => void): () => void;
}

/** The privileged side of a bus, obtained by attaching a tiny adapter. */
export interface BusLink {
  readonly link: AdapterLink;
  /** The leadership service when a transport provides one. */
  leadership(): Leadership | undefined;
  /** The presence service when a transport provides one. */
  presence(): PresenceLike | undefined;
  /** True when no transport links this bus to other tabs: everything is local. */
  alone(): boolean;
  detach(): void;
}

/**
 * Attaches a no-op adapter named `name` to reach `publishSystem`, services and error reporting.
 * The one place where a helper needs more than the {@link AnyBus} it was given: `fn` names the
 * helper's factory for the error when the bus cannot take adapters.
 */
export function connectBus(bus: AnyBus, name: string, fn: string): BusLink {
  if (typeof (bus as Partial<PubSubBus>).attach !== 'function') {
    throw new SwitchboardError(
      'INVALID_OPTION',
      `${fn}: the bus given cannot take adapters, which this helper needs to reach '$sys.' topics; pass the bus createPubSub() returned.`,
    );
  }
  let captured: AdapterLink | undefined;
  const detach = (bus as PubSubBus).attach({
    name,
    connect: (link) => {
      captured = link;
    },
  });
  const link = captured!;
  return {
    link,
    leadership: () => link.lookup<Leadership>('leadership'),
    presence: () => link.lookup<PresenceLike>('presence'),
    alone: () => link.lookup('leadership') === undefined && link.lookup('presence') === undefined,
    detach,
  };
}

/** A random id, unique enough to correlate calls across tabs. */
export function randomId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += (byte % 36).toString(36);
  return id;
}
