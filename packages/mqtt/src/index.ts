export { attachMqtt } from './attach-mqtt.ts';
export { isMqttError, MqttError } from './errors.ts';
export { MQTT_IN, MQTT_REFUSED, MQTT_SENT, MQTT_STATE } from './system-topics.ts';

export type { MqttBridge, MqttBridgeStats } from './attach-mqtt.ts';
export type { BridgeRules } from './bridge-rules.ts';
export type { MqttFailure } from './errors.ts';
export type { MqttOptions, ReconnectOptions } from './mqtt-options.ts';
export type {
  MqttConnack,
  MqttClientError,
  MqttClientLike,
  MqttConnect,
  MqttConnectOptions,
  MqttPublishOptions,
  MqttPublishPacket,
  MqttPublishProperties,
} from './connection/client.ts';
export type {
  MqttConnectionState,
  MqttInEvent,
  MqttRefusedEvent,
  MqttSentEvent,
  MqttStateEvent,
  MqttSystemTopics,
} from './system-topics.ts';
