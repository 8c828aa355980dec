import type * as topics from '../system-topics.ts';

// The connection code's own copies of the `$sys.mqtt.` names: importing them from
// system-topics.ts would put that module in a chunk of its own, which every tab loads. The types
// make a copy that differs from the original a compile error.
export const MQTT_IN: typeof topics.MQTT_IN = '$sys.mqtt.in';
export const MQTT_REFUSED: typeof topics.MQTT_REFUSED = '$sys.mqtt.refused';
export const MQTT_STATE: typeof topics.MQTT_STATE = '$sys.mqtt.state';
