import type { AdapterLink, Message, SystemAccess } from '@switchboard/bus';
import type { RetainedService } from '@switchboard/bus/retained';
import type { BridgeFilter } from './bridge-rules.ts';
import type { MqttError } from './errors.ts';
import type { remembered } from './remembered.ts';
import type { MqttStateEvent } from './system-topics.ts';

/** Counters every tab's bridge keeps; the connection tab's side adds to them. */
export interface BridgeCounts {
  sent: number;
  received: number;
  relayed: number;
  duplicates: number;
  refused: number;
  denied: number;
  expired: number;
  dropped: number;
  errors: number;
  connects: number;
}

/**
 * What every tab's bridge offers the connection tab's side (loaded lazily): the pending list,
 * delivery with duplicates removed, the bridge's system access, error reports.
 */
export interface BridgeCore {
  /**
   * The error class. The connection code (loaded lazily) takes it from here rather than importing
   * it: a module both import would become a chunk of its own that every tab loads.
   */
  readonly MqttError: typeof MqttError;
  /** The per-topic memo, handed over for the same reason as `MqttError`. */
  readonly remembered: typeof remembered;
  readonly link: AdapterLink;
  /** The bridge's `$sys.mqtt.` access. */
  readonly access: SystemAccess;
  /** The last `$sys.mqtt.state` this tab heard (from any tab): who told of the connection, and how it stood. */
  lastState?: MqttStateEvent;
  /** The bridge's app id. */
  readonly app: string;
  readonly filter: BridgeFilter;
  /** Messages waiting for a PUBACK, in send order (every tab keeps the same list). */
  readonly pending: ReadonlyMap<string, Message>;
  readonly counts: BridgeCounts;
  /** Delivers a broker message in this tab, once; false for a duplicate. */
  deliver(message: Message, custody: 'here' | 'elsewhere'): boolean;
  /** Reports and counts a message the bridge's permissions refuse (`publish`: on the bus). */
  deny(message: Message, list: 'publish' | 'subscribe'): void;
  /** Clears a retained topic on the bus because the broker cleared it (not sent back out). */
  clearRetained(service: RetainedService, topic: string): void;
  /** Forgets a message that no longer waits. */
  settle(id: string): void;
  /** Tells every tab these messages no longer wait (`$sys.mqtt.sent`). */
  publishSent(ids: readonly string[]): void;
  report(error: MqttError, message?: Message): void;
  /** False once the bridge is detached. */
  attached(): boolean;
}
