/**
 * The part of an MQTT 5 client the bridge uses: mqtt.js's `MqttClient` has this shape, and unit
 * tests pass a fake with it.
 */

/** A PUBLISH packet as the client hands it over. */
export interface MqttPublishPacket {
  readonly topic: string;
  readonly payload: Uint8Array | string;
  readonly retain: boolean;
  readonly qos: number;
  readonly properties?: MqttPublishProperties | undefined;
}

/** The MQTT 5 properties of a PUBLISH that the bridge reads and writes. */
export interface MqttPublishProperties {
  userProperties?: Record<string, string | string[]>;
  messageExpiryInterval?: number;
  contentType?: string;
  payloadFormatIndicator?: boolean;
  correlationData?: Uint8Array | string;
  responseTopic?: string;
}

/** What the bridge passes to {@link MqttConnect}. */
export interface MqttConnectOptions {
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: 5;
  clean: false;
  keepalive: number;
  /** 0: the bridge reconnects itself, with backoff and jitter, and only while its tab leads. */
  reconnectPeriod: 0;
  resubscribe: false;
  connectTimeout: number;
  /** mqtt.js waits this long when the socket's send buffer is full (its default, 1 s, stalls bursts). */
  browserBufferTimeout: number;
  /**
   * false: the keepalive ping goes every `keepalive` seconds, traffic or not, instead of the ping
   * timer being restarted for every packet (a worker-timer message each, the most time mqtt.js
   * spent on a stream of messages).
   */
  reschedulePings: false;
  properties: { sessionExpiryInterval: number };
}

/** Options of one publish. */
export interface MqttPublishOptions {
  qos: 1;
  retain: boolean;
  properties: MqttPublishProperties;
}

/** An error the client reports; `code` is the MQTT 5 reason code when the broker gave one. */
export type MqttClientError = Error & { code?: number | string };

/** The CONNACK of a successful connection. */
export interface MqttConnack {
  readonly sessionPresent: boolean;
  readonly properties?: { readonly receiveMaximum?: number } | undefined;
}

/** A connected (or connecting) MQTT 5 client. */
export interface MqttClientLike {
  on(event: 'connect', listener: (connack: MqttConnack) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: MqttClientError) => void): unknown;
  /**
   * Called for each incoming PUBLISH; the client acknowledges it (PUBACK) once `done` is called,
   * so a message is acknowledged only after the bridge has delivered and relayed it.
   */
  handleMessage: (packet: MqttPublishPacket, done: (error?: Error) => void) => void;
  publish(
    topic: string,
    payload: string,
    options: MqttPublishOptions,
    callback: (error?: MqttClientError | null) => void,
  ): unknown;
  subscribe(
    filters: Record<string, { qos: 1; nl: boolean; rap: boolean; rh: number }>,
    callback: (error: Error | null, granted?: ReadonlyArray<{ topic: string; qos: number }>) => void,
  ): unknown;
  end(force: boolean, callback: () => void): unknown;
}

/** Opens a client (mqtt.js's `connect` by default). */
export type MqttConnect = (url: string, options: MqttConnectOptions) => MqttClientLike;

/** mqtt.js's `connect`, loaded on first use so that only the connection tab ever downloads it. */
export async function loadMqttJs(): Promise<MqttConnect> {
  const mqtt = (await import('mqtt')) as { connect?: unknown; default?: { connect?: unknown } };
  // Node's build has a named `connect`; the browser build (dist/mqtt.esm.js) only a default export.
  const connect = mqtt.connect ?? mqtt.default?.connect;
  if (typeof connect !== 'function') throw new Error("the 'mqtt' module has no connect()");
  return connect as MqttConnect;
}
