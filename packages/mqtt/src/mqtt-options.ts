import type { Clock } from '@switchboard/bus';
import { systemClock } from '@switchboard/bus/internal';
import type { AppPermissions } from '@switchboard/bus/apps';
import type { BridgeRules } from './bridge-rules.ts';
import type { MqttConnect } from './connection/client.ts';

/** Reconnection timing: exponential backoff with jitter. */
export interface ReconnectOptions {
  /** Delay before the first retry. @default 500 */
  initialDelayMs?: number;
  /** Longest delay between attempts. @default 30000 */
  maxDelayMs?: number;
  /** Each failed attempt multiplies the delay by this. @default 2 */
  factor?: number;
  /** Fraction of each delay drawn at random (0: none, 1: anywhere from 0 to the delay). @default 0.5 */
  jitter?: number;
}

/** Options of {@link attachMqtt}. */
export interface MqttOptions {
  /** The broker's WebSocket URL: `wss://broker.example.com/mqtt` (`ws://` only for local testing). */
  url: string;
  /** Which topics cross the bridge, each way. */
  bridge: BridgeRules;
  /**
   * The MQTT client id: one per origin (and user), kept across reloads so the broker keeps the
   * persistent session (queued QoS 1 messages) for it.
   * @default an id generated once and kept in IndexedDB
   */
  clientId?: string;
  /** User name for the broker. */
  username?: string;
  /** Password for the broker. Give `password` or `token`, not both. */
  password?: string;
  /**
   * Returns the password (a JWT, say) for each connection attempt, so an expired token is
   * replaced on reconnect. A rejection is reported and retried with backoff.
   */
  token?: () => Promise<string>;
  /**
   * Broker levels put before every topic: `'acme/shop'` maps `orders.created` to
   * `acme/shop/orders/created`. Lets one broker serve several tenants, with ACLs per prefix.
   * @default ''
   */
  prefix?: string;
  /**
   * The bridge's app id: the `source` of messages from plain MQTT clients (no Switchboard
   * properties), and the app its permission denials name. Give it an entry in the manifest.
   * @default 'mqtt'
   */
  app?: string;
  /**
   * What the bridge may do on the bus as an app, typically `manifest[app]`: `publish` lists the
   * topics it may bring in from the broker, `subscribe` those it may take from the bus to the
   * broker. A message outside them is refused (an `MqttError`, `failure: 'permission-denied'`,
   * counted in `stats().denied`). Without permissions, `bridge` alone decides; with them, a list
   * left out allows nothing, as for any app.
   * @default undefined (no checks beyond `bridge`)
   * @example
   * import { attachMqtt } from '@switchboard/mqtt';
   * attachMqtt(bus, { url, app: 'broker', permissions: manifest.broker, bridge: { out: ['orders.#'], in: ['orders.#'] } });
   */
  permissions?: Pick<AppPermissions, 'publish' | 'subscribe'>;
  /**
   * Names the IndexedDB database (`switchboard-mqtt:<name>`) of the outbox and the client id.
   * @default the `app` option
   */
  name?: string;
  /**
   * How long the broker keeps the session (subscriptions and queued messages) while no tab of the
   * origin is connected.
   * @default 86400
   */
  sessionExpirySeconds?: number;
  /** MQTT keepalive. @default 30 */
  keepaliveSeconds?: number;
  /** Reconnection timing. */
  reconnect?: ReconnectOptions;
  /**
   * Most messages kept for the broker while it is unreachable (in the outbox and in every tab's
   * memory). Past it the oldest are dropped and reported.
   * @default 10000
   */
  maxPending?: number;
  /** The IndexedDB to keep the outbox and client id in; `null` keeps them in memory. @default globalThis.indexedDB */
  indexedDB?: IDBFactory | null;
  /** Opens an MQTT client; tests pass a fake. @default mqtt.js's `connect`, loaded on first use */
  connect?: MqttConnect;
  /** Time source for timestamps and backoff. @default systemClock */
  clock?: Clock;
  /** Random numbers in [0, 1) for jitter and ids. @default Math.random */
  random?: () => number;
}

/** Options with their defaults applied. */
export interface ResolvedMqttOptions {
  readonly url: string;
  readonly clientId: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly token: (() => Promise<string>) | undefined;
  readonly prefix: string;
  readonly app: string;
  readonly name: string;
  readonly sessionExpirySeconds: number;
  readonly keepaliveSeconds: number;
  readonly reconnect: Required<ReconnectOptions>;
  readonly maxPending: number;
  readonly indexedDB: IDBFactory | undefined;
  readonly connect: MqttConnect | undefined;
  readonly clock: Clock;
  readonly random: () => number;
}

/**
 * Checks the connection's options, in the tab that connects (the others never load this); a
 * mistake throws an `Error` naming the option, which the caller reports as `INVALID_OPTION`.
 */
export function resolveOptions(options: MqttOptions): ResolvedMqttOptions {
  if (typeof options !== 'object' || options === null) invalid('options must be an object with url and bridge');
  const { url, password, token } = options;
  if (typeof url !== 'string' || !/^wss?:\/\/./.test(url)) {
    invalid(`options.url must be the broker's WebSocket URL (ws:// or wss://), got ${JSON.stringify(url)}`);
  }
  if (password !== undefined && token !== undefined) invalid('give options.password or options.token, not both');
  if (token !== undefined && typeof token !== 'function')
    invalid('options.token must be a function returning a promise');
  for (const key of ['clientId', 'username', 'password', 'prefix', 'name', 'app'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') invalid(`options.${key} must be a string`);
  }
  const prefix = options.prefix ?? '';
  if (prefix.endsWith('/') || /[#+]/.test(prefix)) {
    invalid(`options.prefix '${prefix}' must be broker levels without wildcards or a trailing '/'`);
  }
  const app = options.app ?? 'mqtt';
  const name = options.name ?? app;
  if (name === '' || app === '') invalid('options.app and options.name must not be empty');
  const reconnect = options.reconnect ?? {};
  return {
    url,
    clientId: options.clientId,
    username: options.username,
    password,
    token,
    prefix,
    app,
    name,
    sessionExpirySeconds: count('sessionExpirySeconds', options.sessionExpirySeconds, 86_400),
    keepaliveSeconds: count('keepaliveSeconds', options.keepaliveSeconds, 30),
    reconnect: {
      initialDelayMs: count('reconnect.initialDelayMs', reconnect.initialDelayMs, 500),
      maxDelayMs: count('reconnect.maxDelayMs', reconnect.maxDelayMs, 30_000),
      factor: count('reconnect.factor', reconnect.factor, 2),
      jitter: fraction('reconnect.jitter', reconnect.jitter, 0.5),
    },
    maxPending: count('maxPending', options.maxPending, 10_000, 1),
    indexedDB: options.indexedDB === undefined ? defaultIndexedDB() : (options.indexedDB ?? undefined),
    connect: options.connect,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
  };
}

function count(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    invalid(`options.${name} must be a finite number of at least ${min}, got ${String(value)}`);
  }
  return value;
}

function fraction(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    invalid(`options.${name} must be between 0 and 1, got ${String(value)}`);
  }
  return value;
}

function invalid(what: string): never {
  throw new Error(`attachMqtt(): ${what}.`);
}

function defaultIndexedDB(): IDBFactory | undefined {
  // Read when attaching, never at module load: there is no indexedDB in Node or some workers.
  return typeof globalThis.indexedDB === 'object' ? globalThis.indexedDB : undefined;
}
