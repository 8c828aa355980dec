import { createTopicMatcher, type TopicMatcher } from '@switchboard/bus';
import { assertPattern, SYSTEM_PREFIX } from '@switchboard/bus/internal';
import { MqttError } from './errors.ts';

/**
 * Which topics cross the bridge. `out`: bus topics sent to the broker; `in`: broker topics
 * delivered on the bus. Patterns use the bus's wildcards; a `$sys.` topic matches only a pattern
 * that starts with `$sys`, so `#` never sends Switchboard's own events to the broker.
 *
 * The bridge acts as an app with its own permissions: `in` is what it may publish on the bus,
 * `out` what it may read from it (an app manifest's `publish` and `subscribe`).
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
}

/** Checks and compiles {@link BridgeRules}; throws an `INVALID_OPTION` error naming a bad pattern. */
export function compileBridgeRules(rules: BridgeRules | undefined): BridgeFilter {
  if (typeof rules !== 'object' || rules === null || !Array.isArray(rules.out) || !Array.isArray(rules.in)) {
    throw new MqttError(
      'INVALID_OPTION',
      'connection',
      "attachMqtt(): options.bridge must be { out: string[], in: string[] }, the bus patterns that go to and come from the broker (e.g. { out: ['orders.#'], in: ['orders.#'] }).",
    );
  }
  const out = compile(rules.out, 'out');
  const inbound = compile(rules.in, 'in');
  return {
    sendsOut: (topic) => allows(out, topic),
    letsIn: (topic) => allows(inbound, topic),
    inPatterns: [...rules.in],
  };
}

/** Patterns that name `$sys` themselves apart from the others, which never reach `$sys.`. */
interface Compiled {
  readonly plain: TopicMatcher<true>;
  readonly system: TopicMatcher<true>;
}

function compile(patterns: readonly string[], side: 'out' | 'in'): Compiled {
  const compiled: Compiled = { plain: createTopicMatcher<true>(), system: createTopicMatcher<true>() };
  for (const pattern of patterns) {
    try {
      assertPattern(pattern, `attachMqtt(bridge.${side})`);
    } catch (error) {
      throw new MqttError(
        'INVALID_OPTION',
        'connection',
        `attachMqtt(): bridge.${side} has an invalid pattern '${String(pattern)}' (${(error as Error).message}); use bus patterns such as 'orders.#'.`,
        { cause: error },
      );
    }
    const named = pattern === SYSTEM_PREFIX || pattern.startsWith(`${SYSTEM_PREFIX}.`);
    (named ? compiled.system : compiled.plain).add(pattern, true);
  }
  return compiled;
}

function allows(compiled: Compiled, topic: string): boolean {
  const system = topic.startsWith(`${SYSTEM_PREFIX}.`);
  const matcher = system ? compiled.system : compiled.plain;
  return matcher.size > 0 && matcher.match(topic).length > 0;
}
