import { topicMatches } from '@switchboard/bus';
import { assertPattern } from '@switchboard/bus/internal';
import { MqttError } from './errors.ts';
import { remembered } from './remembered.ts';

/**
 * Which topics cross the bridge. `out`: bus topics sent to the broker; `in`: broker topics
 * delivered on the bus. Patterns use the bus's wildcards; a `$sys.` topic matches only a pattern
 * that starts with `$sys`, so `#` never sends Switchboard's own events to the broker.
 *
 * The bridge also acts as an app: `options.permissions` (its manifest entry) bounds what it may
 * publish on the bus (`publish`, checked against what comes in) and read from it (`subscribe`,
 * checked against what goes out).
 *
 * @example
 * import { attachMqtt } from '@switchboard/mqtt';
 * attachMqtt(bus, { url, bridge: { out: ['orders.#'], in: ['orders.#', 'inventory.stock.+'] } });
 */
export interface BridgeRules {
  /** Bus patterns whose messages go out to the broker. */
  readonly out: readonly string[];
  /** Bus patterns the bridge subscribes to on the broker and delivers on the bus. */
  readonly in: readonly string[];
}

/** The compiled rules: what a topic may do. */
export interface BridgeFilter {
  sendsOut(topic: string): boolean;
  letsIn(topic: string): boolean;
  /** The `in` patterns, to subscribe to. */
  readonly inPatterns: readonly string[];
  /** The bridge's permissions let it publish `topic` on the bus (always, without permissions). */
  mayPublish(topic: string): boolean;
  /** The bridge's permissions let it read `topic` from the bus (always, without permissions). */
  mayRead(topic: string): boolean;
}

/** The lists of an app's permissions that bound the bridge (an `AppPermissions`). */
export interface BridgePermissions {
  readonly publish?: readonly string[];
  readonly subscribe?: readonly string[];
}

/** Checks and compiles {@link BridgeRules}; throws an `INVALID_OPTION` error naming a bad pattern. */
export function compileBridgeRules(
  rules: BridgeRules | undefined,
  permissions?: BridgePermissions | undefined,
): BridgeFilter {
  const out = compile(rules?.out, 'bridge.out');
  const inbound = compile(rules?.in, 'bridge.in');
  // With permissions, a list left out allows nothing, as for any app.
  const publish = permissions && compile(permissions.publish ?? [], 'permissions.publish');
  const read = permissions && compile(permissions.subscribe ?? [], 'permissions.subscribe');
  const always = () => true;
  return {
    sendsOut: allows(out),
    letsIn: allows(inbound),
    inPatterns: [...(rules as BridgeRules).in],
    mayPublish: publish ? allows(publish) : always,
    mayRead: read ? allows(read) : always,
  };
}

function compile(patterns: readonly string[] | undefined, option: string): readonly string[] {
  if (!Array.isArray(patterns)) {
    throw new MqttError(
      'INVALID_OPTION',
      'connection',
      `attachMqtt(): options.${option} must be an array of bus patterns such as 'orders.#'.`,
    );
  }
  for (const pattern of patterns) {
    try {
      assertPattern(pattern, `attachMqtt(${option})`);
    } catch (error) {
      throw new MqttError(
        'INVALID_OPTION',
        'connection',
        `attachMqtt(): options.${option}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  return [...patterns];
}

/**
 * Whether `matcher` has a pattern for a topic, remembered per topic: every message asks up to
 * twice, and the patterns never change after attaching.
 */
/**
 * Whether a topic matches one of `patterns`, worked out once per topic. The bus's wildcards never
 * match `$sys.` topics, so `#` never sends the bridge's own events out.
 */
function allows(patterns: readonly string[]): (topic: string) => boolean {
  return remembered((topic) => patterns.some((pattern) => topicMatches(pattern, topic)));
}
