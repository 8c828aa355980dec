import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Where Debian puts the broker. */
const DEFAULT_BINARY = '/usr/sbin/mosquitto';

/** A user of the test broker and the topics it may use (mosquitto ACL syntax, `/` separators). */
export interface MosquittoUser {
  readonly password: string;
  /** Topic filters this user may read and write. @default ['#'] */
  readonly readwrite?: readonly string[];
  /** Topic filters this user may only read. */
  readonly read?: readonly string[];
  /** Topic filters this user may only write. */
  readonly write?: readonly string[];
}

/** Options of {@link startMosquitto}. */
export interface MosquittoOptions {
  /** Port of the plain MQTT listener (Debian's build needs one beside the WebSocket one). */
  readonly port: number;
  /** Port of the WebSocket listener, which browsers use. */
  readonly wsPort: number;
  /**
   * Users and their ACLs. Without it the broker is anonymous and open to every topic; with it,
   * anonymous clients are refused and each user reaches only its topics.
   */
  readonly users?: Readonly<Record<string, MosquittoUser>>;
  /** Extra lines for mosquitto.conf (`max_inflight_messages 100`, ...). */
  readonly extraConfig?: readonly string[];
  /** @default `$MOSQUITTO_PATH` or /usr/sbin/mosquitto */
  readonly binary?: string;
  /** How long to wait for the listeners to accept connections. @default 10000 */
  readonly startTimeoutMs?: number;
}

/** A broker started by {@link startMosquitto}. */
export interface Mosquitto {
  /** `ws://127.0.0.1:<wsPort>`: the URL for `attachMqtt` in a browser. */
  readonly wsUrl: string;
  /** `mqtt://127.0.0.1:<port>`: for Node clients and `mosquitto_pub`/`mosquitto_sub`. */
  readonly mqttUrl: string;
  readonly port: number;
  readonly wsPort: number;
  /** The temporary folder with the config, the persistence store and the log. */
  readonly dir: string;
  /** Stops the broker (SIGTERM, then waits for it to exit; it saves its store first). */
  stop(): Promise<void>;
  /** Starts it again with the same config and store: persistent sessions and retained messages survive. */
  restart(): Promise<void>;
  /** The broker's log so far. */
  log(): Promise<string>;
  /** Client ids that connected so far, once per connection, in order (read from the log). */
  connections(): Promise<string[]>;
  /** Stops the broker and deletes its folder. */
  dispose(): Promise<void>;
}

/**
 * Starts Debian's mosquitto 2.0 on 127.0.0.1 with its own config, store and log in a temporary
 * folder: a plain MQTT listener and a WebSocket one, `persistence true` (queued QoS 1 messages and
 * retained messages survive {@link Mosquitto.restart}), optional users with ACLs.
 *
 * @example
 * import { startMosquitto } from '@switchboard/mqtt/testing';
 * const broker = await startMosquitto({ port: 18830, wsPort: 18831 });
 * // attachMqtt(bus, { url: broker.wsUrl, bridge: { out: ['#'], in: ['#'] } }) in the page
 * await broker.dispose();
 */
export async function startMosquitto(options: MosquittoOptions): Promise<Mosquitto> {
  const binary = options.binary ?? process.env.MOSQUITTO_PATH ?? DEFAULT_BINARY;
  if (!existsSync(binary)) {
    throw new Error(`startMosquitto(): ${binary} not found; ${installHint()}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'sb-mosquitto-'));
  const configPath = join(dir, 'mosquitto.conf');
  const logPath = join(dir, 'mosquitto.log');
  const lines = [
    // Started as root, mosquitto would switch to user 'mosquitto', who cannot read this folder.
    `user ${userInfo().username}`,
    `persistence true`,
    `persistence_location ${dir}/`,
    `log_dest file ${logPath}`,
    `log_type error`,
    `log_type warning`,
    `log_type notice`,
    `log_type information`,
    `connection_messages true`,
    // Tests stream tens of thousands of messages to clients that may be offline for a while.
    `max_queued_messages 1000000`,
    `listener ${options.port} 127.0.0.1`,
    `listener ${options.wsPort} 127.0.0.1`,
    `protocol websockets`,
  ];
  if (options.users === undefined) {
    lines.push('allow_anonymous true');
  } else {
    const passwordPath = join(dir, 'passwords');
    const aclPath = join(dir, 'acl');
    await writeFile(passwordPath, '');
    const acl: string[] = [];
    for (const [user, spec] of Object.entries(options.users)) {
      execFileSync('mosquitto_passwd', ['-b', passwordPath, user, spec.password]);
      acl.push(`user ${user}`);
      for (const topic of spec.readwrite ?? (spec.read || spec.write ? [] : ['#']))
        acl.push(`topic readwrite ${topic}`);
      for (const topic of spec.read ?? []) acl.push(`topic read ${topic}`);
      for (const topic of spec.write ?? []) acl.push(`topic write ${topic}`);
      acl.push('');
    }
    await writeFile(aclPath, acl.join('\n'));
    lines.push('allow_anonymous false', `password_file ${passwordPath}`, `acl_file ${aclPath}`);
  }
  lines.push(...(options.extraConfig ?? []));
  await writeFile(configPath, `${lines.join('\n')}\n`);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    const started = spawn(binary, ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    for (;;) {
      if (started.exitCode !== null) {
        const log = await readFile(logPath, 'utf8').catch(() => '');
        throw new Error(
          `startMosquitto(): the broker exited with code ${started.exitCode} (${(stderr + log).trim().slice(-500)}); is port ${options.port} or ${options.wsPort} in use?`,
        );
      }
      if ((await accepts(options.port)) && (await accepts(options.wsPort))) return;
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`startMosquitto(): no listener on ports ${options.port}/${options.wsPort} after waiting.`);
      }
      await delay(20);
    }
  }

  async function stop(): Promise<void> {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    running.kill('SIGTERM');
    await exited;
    child = undefined;
  }

  await start();
  return {
    wsUrl: `ws://127.0.0.1:${options.wsPort}`,
    mqttUrl: `mqtt://127.0.0.1:${options.port}`,
    port: options.port,
    wsPort: options.wsPort,
    dir,
    stop,
    async restart() {
      await stop();
      await start();
    },
    log: () => readFile(logPath, 'utf8').catch(() => ''),
    async connections() {
      const log = await readFile(logPath, 'utf8').catch(() => '');
      return [...log.matchAll(/New client connected from \S+ as (\S+) \(/g)].map((match) => match[1]!);
    },
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The one command that installs the broker and its command-line clients on Debian. */
export function installHint(): string {
  return 'install it with: sudo apt-get update && sudo apt-get install -y mosquitto mosquitto-clients';
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
