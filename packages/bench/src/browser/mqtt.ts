import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright';
import { build, defaultClientConditions, type Rolldown } from 'vite';
import { startMosquitto } from '@switchboard/mqtt/testing';
import type { MqttKind } from '../../pages/mqtt.page.ts';
import { REPO_ROOT } from '../harness/paths.ts';
import { BenchFailure, type BenchResult, check } from '../harness/result.ts';
import { formatMs, formatRate, median, percentile } from '../harness/stats.ts';

const LATENCY_SAMPLES = 500;
const LATENCY_WARMUP = 50;
const FLOOD = 50_000;
const FLOOD_WARMUP = 5_000;
const FLOOD_ROUNDS = 3;
const KINDS: MqttKind[] = ['bridge', 'raw'];
const FOLLOWER_GOAL_BYTES = 3000;

/**
 * The broker's ports: `MQTT_BENCH_PORT` (plain MQTT) and the next one (WebSocket), so a shared
 * machine can give the bench a range of its own.
 */
function brokerPorts(): { port: number; wsPort: number } {
  const port = Number(process.env.MQTT_BENCH_PORT ?? 18850);
  if (!Number.isInteger(port) || port < 1024 || port > 65534) {
    throw new BenchFailure(`mqtt: MQTT_BENCH_PORT must be a port number, got '${process.env.MQTT_BENCH_PORT}'`);
  }
  return { port, wsPort: port + 1 };
}

/** A device: a browser context of its own (sharing nothing with the other), one page, its leader tab. */
async function openDevice(browser: Browser, url: string): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`bench page ${url}: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction('window.mqttBench !== undefined');
  return { page, close: () => context.close() };
}

/**
 * Gzip bytes a tab that never holds the connection loads for the bridge: `attachMqtt` built for
 * the browser, minified, with the bus and cross-tab external (the page has them anyway) and the
 * chunks it imports statically, not the one it loads when it takes the connection (mqtt.js, idb).
 */
async function followerBytes(): Promise<{ follower: number; leader: number }> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
    build: {
      write: false,
      minify: true,
      lib: { entry: path.join(REPO_ROOT, 'packages', 'mqtt', 'src', 'index.ts'), formats: ['es'], fileName: 'entry' },
      rolldownOptions: {
        external: (id: string) => /^@switchboard\/(bus|cross-tab)(\/|$)/.test(id) || id === 'mqtt' || id === 'idb',
      },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunks = [output]
    .flat()
    .flatMap((o) => o.output)
    .filter((c): c is Rolldown.OutputChunk => c.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const gz = (c: Rolldown.OutputChunk): number => gzipSync(c.code).length;
  const entry = chunks.find((c) => c.isEntry);
  check(entry !== undefined, 'mqtt size: no entry chunk');
  const loaded = new Set<Rolldown.OutputChunk>();
  const visit = (c: Rolldown.OutputChunk): void => {
    if (loaded.has(c)) return;
    loaded.add(c);
    for (const name of c.imports) {
      const next = byName.get(name);
      if (next !== undefined) visit(next);
    }
  };
  visit(entry);
  const follower = [...loaded].reduce((sum, c) => sum + gz(c), 0);
  const leader = chunks.filter((c) => !loaded.has(c)).reduce((sum, c) => sum + gz(c), 0);
  return { follower, leader };
}

/**
 * The MQTT bridge between two devices through a mosquitto the group starts: one-way latency and a
 * 50,000-message flood, the bus bridged by `@switchboard/mqtt` against two raw mqtt.js clients set
 * up the same way (MQTT 5, QoS 1, persistent sessions, the broker's Receive Maximum), each in a
 * page like a leader tab; and the bytes a tab that never holds the connection loads.
 */
export async function benchMqtt(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const bytes = await followerBytes();
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  try {
    broker = await startMosquitto(brokerPorts());
  } catch (error) {
    throw new BenchFailure(
      `mqtt: could not start mosquitto (${(error as Error).message}); install it: apt-get install mosquitto`,
    );
  }
  const a = await openDevice(browser, `${baseUrl}/mqtt.html`);
  const b = await openDevice(browser, `${baseUrl}/mqtt.html`);
  try {
    const run = Math.random().toString(36).slice(2, 8);
    for (const kind of KINDS) {
      await a.page.evaluate(([k, url, id]) => window.mqttBench.open(k, url, id), [
        kind,
        broker.wsUrl,
        `a-${kind}-${run}`,
      ] as const);
      await b.page.evaluate(([k, url, id]) => window.mqttBench.open(k, url, id), [
        kind,
        broker.wsUrl,
        `b-${kind}-${run}`,
      ] as const);
    }
    await b.page.evaluate(() => window.mqttBench.echo());
    const samples = await a.page.evaluate(([kinds, n, warmup]) => window.mqttBench.pingPong(kinds, n, warmup), [
      KINDS,
      LATENCY_SAMPLES,
      LATENCY_WARMUP,
    ] as const);
    const latency = (kind: MqttKind) => ({ p50: percentile(samples[kind]!, 50), p99: percentile(samples[kind]!, 99) });

    const rates: Record<MqttKind, number[]> = { bridge: [], raw: [] };
    // One warm-up round, then rounds interleaved across kinds.
    for (let round = 0; round <= FLOOD_ROUNDS; round++) {
      for (const kind of KINDS) {
        const count = round === 0 ? FLOOD_WARMUP : FLOOD;
        await b.page.evaluate(([k, n]) => window.mqttBench.sink(k, n), [kind, count] as const);
        const started = await a.page.evaluate(([k, n]) => window.mqttBench.flood(k, n), [kind, count] as const);
        // A busy machine may be slow, not lossy: fail only when nothing more arrives for 30 s.
        let last = -1;
        let stalledSince = Date.now();
        for (;;) {
          const { received } = await b.page.evaluate(() => window.mqttBench.sinkResult());
          if (received >= count) break;
          if (received !== last) {
            last = received;
            stalledSince = Date.now();
          } else if (Date.now() - stalledSince > 30_000) {
            throw new BenchFailure(
              `mqtt flood (${kind}): device B received ${received} of ${count}, nothing more for 30 s`,
            );
          }
          await b.page.waitForTimeout(50);
        }
        const result = await b.page.evaluate(() => window.mqttBench.sinkResult());
        check(result.inOrder, `mqtt flood (${kind}): device B received messages out of order or twice`);
        // Read again a little later: nothing more may arrive (a duplicate would).
        await b.page.waitForTimeout(200);
        const after = await b.page.evaluate(() => window.mqttBench.sinkResult());
        check(after.received === count, `mqtt flood (${kind}): device B received ${after.received}, expected ${count}`);
        if (round > 0) rates[kind].push(count / ((result.lastAt - started) / 1000));
      }
    }
    await a.page.evaluate(() => window.mqttBench.close());
    await b.page.evaluate(() => window.mqttBench.close());
    const bridge = latency('bridge');
    const raw = latency('raw');
    const rate = (kind: MqttKind): number => median(rates[kind]);
    const text = ({ p50, p99 }: { p50: number; p99: number }): string => `p50 ${formatMs(p50)}, p99 ${formatMs(p99)}`;
    return [
      {
        issue: 21,
        name: 'MQTT device-to-device one-way latency, bridge vs raw mqtt.js',
        figure: text(bridge),
        reference: `raw mqtt.js ${text(raw)}`,
        ratio: bridge.p50 / raw.p50,
        goal: 'p50 <= 1.3x raw',
        met: bridge.p50 <= 1.3 * raw.p50,
        note: `round trip / 2 over ${LATENCY_SAMPLES} ping-pongs per kind after ${LATENCY_WARMUP} warm-up, interleaved; two browser contexts (devices), one page each holding the connection; mosquitto ${broker.wsUrl.replace(/:\d+$/, '')} on 127.0.0.1, QoS 1, persistent sessions`,
      },
      {
        issue: 21,
        name: 'MQTT throughput, 50,000 messages device A -> B, none lost, in order',
        figure: `${formatRate(rate('bridge'))} messages`,
        reference: `raw mqtt.js ${formatRate(rate('raw'))}`,
        ratio: rate('bridge') / rate('raw'),
        goal: '>= 1.0x raw',
        met: rate('bridge') >= rate('raw'),
        note: `${FLOOD.toLocaleString('en')} messages sent in one loop, timed until device B had every one (each checked to be the next; the count read again 200 ms later); one PUBLISH per message, both within the broker's Receive Maximum; median of ${FLOOD_ROUNDS} interleaved rounds after a ${FLOOD_WARMUP.toLocaleString('en')}-message warm-up`,
      },
      {
        issue: 21,
        name: 'MQTT bridge bytes in a tab that never holds the connection',
        figure: `${(bytes.follower / 1000).toFixed(2)} kB gzip`,
        reference: `limit ${FOLLOWER_GOAL_BYTES / 1000} kB (the connection tab also loads ${(bytes.leader / 1000).toFixed(1)} kB, mqtt.js and idb aside)`,
        ratio: undefined,
        goal: '< 3 kB',
        met: bytes.follower < FOLLOWER_GOAL_BYTES,
        note: '`@switchboard/mqtt` built minified with the bus and cross-tab external and the chunks it imports statically; the lazily loaded connection chunk not counted',
      },
    ];
  } finally {
    await a.close();
    await b.close();
    await broker.dispose();
  }
}
