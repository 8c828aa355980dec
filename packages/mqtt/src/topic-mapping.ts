import { isSwitchboardError } from '@switchboard/bus';
import { assertTopic } from '@switchboard/bus/internal';
import type { remembered } from './remembered.ts';

/**
 * Bus topics and MQTT topics name the same things: segments joined by `.` on the bus, levels
 * joined by `/` on the broker, under an optional prefix of levels (`tenant/acme`). `+` and `#`
 * mean the same on both sides, and on both a leading `#` or `+` does not reach the reserved
 * namespace (`$sys.` on the bus, `$…` on the broker), so `$sys.` topics travel only when a
 * pattern names them.
 */
export interface TopicMapping {
  /** `orders.42.created` -> `orders/42/created` (with the prefix). */
  toBroker(topic: string): string;
  /** A bus pattern as an MQTT topic filter: `orders.+.created` -> `orders/+/created`. */
  toFilter(pattern: string): string;
  /** `orders/42/created` -> `orders.42.created`, or undefined when it has no bus form. */
  toBus(brokerTopic: string): string | undefined;
}

/**
 * Creates the mapping for a prefix of broker levels (`''` for none, else without a trailing `/`).
 * `memo` is {@link remembered}, handed over by the bridge (see `BridgeCore.remembered`).
 */
export function createTopicMapping(prefix: string, memo: typeof remembered): TopicMapping {
  const head = prefix === '' ? '' : `${prefix}/`;
  const toBroker = memo((topic: string): string => head + topic.replaceAll('.', '/'));
  return {
    toBroker,
    toFilter: toBroker,
    toBus: memo((brokerTopic: string): string | undefined => {
      if (!brokerTopic.startsWith(head)) return undefined;
      const rest = brokerTopic.slice(head.length);
      // A `.` inside a level would become a segment boundary on the bus: not the same topic.
      if (rest.includes('.')) return undefined;
      const topic = rest.replaceAll('/', '.');
      try {
        assertTopic(topic, 'toBus', true);
      } catch (error) {
        if (isSwitchboardError(error)) return undefined;
        throw error;
      }
      return topic;
    }),
  };
}
