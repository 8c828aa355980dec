import { createCrossTabPubSub, type CrossTabPubSub } from '@switchboard/cross-tab';
import { attachMqtt, type MqttBridge } from '@switchboard/mqtt';
import mqtt, { type MqttClient } from 'mqtt';
import { deadline, signal } from './timing.ts';

/** What is compared: the bus bridged by `@switchboard/mqtt`, and a raw mqtt.js client. */
export type MqttKind = 'bridge' | 'raw';

/** A small message, the same for every kind. */
interface Small {
  seq: number;
  sku: string;
  qty: number;
}

/** One device's way of sending `Small` messages to the other device through the broker. */
interface Transport {
  send(topic: string, message: Small): void;
  /** Every message on `topic` from the other device; returns a function that stops listening. */
  onReceive(topic: string, handler: (message: Small) => void): () => void;
  close(): Promise<void>;
}

/** The page's API (one page is one device), driven by the bench runner through `page.evaluate`. */
interface MqttBench {
  /** Connects one transport of `kind` to the broker and resolves once it is subscribed. */
  open(kind: MqttKind, url: string, clientId: string): Promise<void>;
  /** Other device: answers every ping of every open kind with the same payload. */
  echo(): void;
  /** This device: one-way latency samples (round trip / 2, in ms), interleaved across kinds. */
  pingPong(kinds: MqttKind[], samples: number, warmup: number): Promise<Record<string, number[]>>;
  /** Other device: expects `count` flood messages of `kind` in order; see `sinkResult`. */
  sink(kind: MqttKind, count: number): void;
  /** Other device: messages received, whether each was the next one, and when the last arrived. */
  sinkResult(): { received: number; inOrder: boolean; lastAt: number };
  /** This device: sends `count` messages in one loop; returns when it started (epoch ms, µs precise). */
  flood(kind: MqttKind, count: number): number;
  close(): Promise<void>;
}

declare global {
  interface Window {
    mqttBench: MqttBench;
  }
}

const transports = new Map<MqttKind, Transport>();
let bus: CrossTabPubSub | undefined;
let bridge: MqttBridge | undefined;
let sinkState = { received: 0, inOrder: true, lastAt: 0 };
let stopSink = (): void => {};

/** Wall-clock time with the precision of `performance.now()`, comparable across pages. */
const now = (): number => performance.timeOrigin + performance.now();

/** The bus of a leader tab (cross-tab attached), bridged to the broker. */
async function openBridge(url: string, clientId: string): Promise<Transport> {
  bus = createCrossTabPubSub({ app: 'bench', channel: `mqtt-bench-${clientId}` });
  bridge = attachMqtt(bus, {
    url,
    clientId,
    name: clientId,
    bridge: { out: ['bench.#'], in: ['bench.#'] },
    // The flood puts all of its messages in the queue at once.
    maxPending: 100_000,
  });
  const start = performance.now();
  while (!(bridge.holdsConnection && bridge.state === 'connected')) {
    if (performance.now() - start > 15_000) throw new Error(`bridge ${clientId}: not connected after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const opened = bus;
  return {
    send: (topic, message) => void opened.publish(`bench.${topic}`, message),
    onReceive: (topic, handler) => opened.subscribe<Small>(`bench.${topic}`, (m) => handler(m.payload)),
    async close() {
      bridge?.detach();
      opened.dispose();
    },
  };
}

/**
 * A raw mqtt.js client as the bridge's connection is set up: MQTT 5, QoS 1, a persistent session,
 * No Local. Publishes go out within the broker's Receive Maximum, as the bridge sends them (a
 * client that ignores it is disconnected by the broker); mqtt.js writes packets to the
 * WebSocket as they come, as it does for the bridge.
 */
async function openRaw(url: string, clientId: string): Promise<Transport> {
  // The bridge's connection options (attachMqtt's connection.ts), so mqtt.js does the same work.
  const client: MqttClient = mqtt.connect(url, {
    clientId,
    protocolVersion: 5,
    clean: false,
    keepalive: 30,
    reconnectPeriod: 0,
    resubscribe: false,
    connectTimeout: 10_000,
    browserBufferTimeout: 5,
    reschedulePings: false,
    properties: { sessionExpiryInterval: 86_400 },
  });
  const connack = await deadline(
    new Promise<{ properties?: { receiveMaximum?: number } }>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    }),
    15_000,
    `raw ${clientId}: connect`,
  );
  const window = connack.properties?.receiveMaximum ?? 65_535;
  await client.subscribeAsync({ 'rawbench/#': { qos: 1, nl: true } });
  const handlers = new Map<string, (message: Small) => void>();
  client.on('message', (topic, payload) => handlers.get(topic)?.(JSON.parse(payload.toString()) as Small));
  // The same window the bridge keeps: at most `receiveMaximum` PUBLISHes waiting for a PUBACK.
  // Read from a head index: `shift()` on an array of 50,000 moves the rest every time.
  let queue: Array<[string, string]> = [];
  let head = 0;
  let inflight = 0;
  const pump = (): void => {
    while (inflight < window && head < queue.length) {
      const [topic, payload] = queue[head]!;
      queue[head++] = undefined as never;
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
      inflight++;
      client.publish(topic, payload, { qos: 1 }, (error) => {
        if (error) console.error(`raw ${clientId}: ${error.message}`);
        inflight--;
        pump();
      });
    }
  };
  return {
    send(topic, message) {
      queue.push([`rawbench/${topic}`, JSON.stringify(message)]);
      pump();
    },
    onReceive(topic, handler) {
      handlers.set(`rawbench/${topic}`, handler);
      return () => void handlers.delete(`rawbench/${topic}`);
    },
    close: () => client.endAsync(),
  };
}

function transport(kind: MqttKind): Transport {
  const found = transports.get(kind);
  if (found === undefined) throw new Error(`mqttBench: ${kind} is not open`);
  return found;
}

window.mqttBench = {
  async open(kind, url, clientId) {
    transports.set(kind, kind === 'bridge' ? await openBridge(url, clientId) : await openRaw(url, clientId));
  },
  echo() {
    for (const [, t] of transports) t.onReceive('ping', (message) => t.send('pong', message));
  },
  async pingPong(kinds, samples, warmup) {
    const results: Record<string, number[]> = Object.fromEntries(kinds.map((kind) => [kind, []]));
    for (let i = 0; i < warmup + samples; i++) {
      for (const kind of kinds) {
        const t = transport(kind);
        const answer = signal<void>();
        const stop = t.onReceive('pong', (message) => {
          if (message.seq === i) answer.resolve();
        });
        const sent = performance.now();
        t.send('ping', { seq: i, sku: 'sku-1', qty: 1 });
        await deadline(answer.promise, 10_000, `${kind} ping ${i}`);
        const took = performance.now() - sent;
        stop();
        if (i >= warmup) results[kind]!.push(took / 2);
      }
    }
    return results;
  },
  sink(kind, count) {
    stopSink();
    sinkState = { received: 0, inOrder: true, lastAt: 0 };
    stopSink = transport(kind).onReceive('flood', (message) => {
      if (message.seq !== sinkState.received) sinkState.inOrder = false;
      sinkState.received++;
      if (sinkState.received === count) sinkState.lastAt = now();
    });
  },
  sinkResult: () => ({ ...sinkState }),
  flood(kind, count) {
    const t = transport(kind);
    const started = now();
    for (let seq = 0; seq < count; seq++) t.send('flood', { seq, sku: 'sku-1', qty: seq % 7 });
    return started;
  },
  async close() {
    stopSink();
    for (const [, t] of transports) await t.close();
    transports.clear();
  },
};
