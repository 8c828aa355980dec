// One cross-tab bus per page, bridged to an MQTT broker and with an IndexedDB history, for
// e2e/tests/mqtt.spec.ts. Query: ?broker=<ws url>&channel=<name>&name=<bridge name>
//   &out=<patterns, comma-separated>&in=<patterns>&user=<name>&password=<pw>
import type { Message } from '@switchboard/bus';
import { attachRetained } from '@switchboard/bus/retained';
import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { createHistoryAdapter, type HistoryAdapter } from '@switchboard/history';
import { attachMqtt, isMqttError, type MqttBridge } from '@switchboard/mqtt';

declare global {
  interface Window {
    __sb: CrossTabPubSub;
    __mqtt: MqttBridge;
    __history: HistoryAdapter;
    /** Every message on a bridged topic this tab received, in order. */
    __received: Message[];
    /** MQTT errors reported to this tab: failure, topic, reason code, message. */
    __mqttErrors: Array<{
      failure: string;
      topic: string | undefined;
      reasonCode: number | undefined;
      message: string;
    }>;
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);
const list = (name: string, fallback: string): string[] => (params.get(name) ?? fallback).split(',');

window.__received = [];
window.__mqttErrors = [];
window.__sb = createCrossTabPubSub({
  app: params.get('app') ?? 'mqtt-e2e',
  channel: params.get('channel') ?? 'mqtt-e2e',
  onError(error) {
    if (isMqttError(error)) {
      window.__mqttErrors.push({
        failure: error.failure,
        topic: error.topic,
        reasonCode: error.reasonCode,
        message: error.message,
      });
    }
  },
});
// Retained messages kept on the bus, from this device's tabs and from the broker.
attachRetained(window.__sb);
window.__history = createHistoryAdapter({ dbName: `mqtt-e2e-${params.get('channel') ?? ''}`, namespace: 'bridged' });
const user = params.get('user');
const password = params.get('password');
window.__mqtt = attachMqtt(window.__sb, {
  url: params.get('broker')!,
  name: params.get('name') ?? 'mqtt',
  bridge: { out: list('out', 'orders.#,notes.#,stream.#'), in: list('in', 'orders.#,notes.#,stream.#') },
  reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
  ...(user === null ? {} : { username: user }),
  ...(password === null ? {} : { password }),
});
for (const pattern of ['orders.#', 'notes.#', 'stream.#']) {
  window.__sb.subscribe(pattern, (message) => void window.__received.push(message));
}
await window.__history.attach(window.__sb);
window.__ready = true;
