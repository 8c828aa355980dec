// Two copies of Switchboard in one page, each a cross-tab bus with the MQTT bridge attached: the
// workspace source (served by Vite) and a second, separately bundled copy that the test serves at
// the URL in ?copy=<url>. Query: ?broker=<ws url>&channel=<name>&copy=<url>.
// Exposed for e2e/tests/mqtt-copies.spec.ts.
import type { Message } from '@switchboard/bus';
import { createCrossTabPubSub } from '@switchboard/cross-tab';
import { attachMqtt, type MqttBridge } from '@switchboard/mqtt';

interface Copy {
  readonly bus: { publish(topic: string, payload: unknown): Message };
  readonly mqtt: MqttBridge;
  /** Every bridged message this copy's bus received, in order. */
  readonly received: Message[];
}

declare global {
  interface Window {
    __mqttCopies: Copy[];
    __sameModule: boolean;
    __ready: boolean;
  }
}

const params = new URLSearchParams(location.search);
const copyUrl = params.get('copy');
if (copyUrl === null) throw new Error('mqtt-copies: pass ?copy=<url of a second bundle of Switchboard>.');
const second = (await import(/* @vite-ignore */ copyUrl)) as {
  createCrossTabPubSub: typeof createCrossTabPubSub;
  attachMqtt: typeof attachMqtt;
};

function open(library: typeof second, app: string): Copy {
  const bus = library.createCrossTabPubSub({ app, channel: params.get('channel') ?? 'mqtt-copies' });
  const mqtt = library.attachMqtt(bus, {
    url: params.get('broker')!,
    bridge: { out: ['orders.#'], in: ['orders.#'] },
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
  });
  const received: Message[] = [];
  bus.subscribe('orders.#', (message) => void received.push(message));
  return { bus, mqtt, received };
}

window.__mqttCopies = [open({ createCrossTabPubSub, attachMqtt }, 'copy-1'), open(second, 'copy-2')];
window.__sameModule = second.attachMqtt === attachMqtt;
window.__ready = true;
