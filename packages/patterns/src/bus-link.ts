import type { AdapterLink, Leadership, PubSubBus } from '@switchboard/bus';

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

/** Attaches a no-op adapter named `name` to reach `publishSystem`, services and error reporting. */
export function connectBus(bus: PubSubBus, name: string): BusLink {
  let captured: AdapterLink | undefined;
  const detach = bus.attach({
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
