import type { Browser } from 'playwright';
import type { CrossTabKind } from '../../pages/cross-tab.page.ts';
import { BenchFailure, type BenchResult } from '../harness/result.ts';
import { formatMs, formatRate, median, percentile } from '../harness/stats.ts';
import { openTwoTabs } from './browser.ts';

const LATENCY_SAMPLES = 1_000;
const LATENCY_WARMUP = 100;
const FLOOD = 100_000;
const FLOOD_ROUNDS = 3;
const KINDS: CrossTabKind[] = ['bus', 'raw', 'npm'];

interface Latency {
  p50: number;
  p99: number;
}

function latencyOf(samples: readonly number[]): Latency {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

function latencyText({ p50, p99 }: Latency): string {
  return `p50 ${formatMs(p50)}, p99 ${formatMs(p99)}`;
}

/**
 * Cross-tab delivery between two tabs (issue 3): one-way latency and a 100,000-message flood,
 * the bus against a raw BroadcastChannel and the `broadcast-channel` package.
 */
export async function benchCrossTab(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const tabs = await openTwoTabs(browser, `${baseUrl}/cross-tab.html`, 'window.crossTabBench !== undefined');
  try {
    const run = Math.random().toString(36).slice(2, 8);
    await tabs.a.evaluate((id) => window.crossTabBench.open(id), run);
    await tabs.b.evaluate((id) => window.crossTabBench.open(id), run);
    await tabs.b.evaluate(() => window.crossTabBench.echo());
    const samples = await tabs.a.evaluate(([kinds, n, warmup]) => window.crossTabBench.pingPong(kinds, n, warmup), [
      KINDS,
      LATENCY_SAMPLES,
      LATENCY_WARMUP,
    ] as const);
    const latency = Object.fromEntries(KINDS.map((kind) => [kind, latencyOf(samples[kind]!)])) as Record<
      CrossTabKind,
      Latency
    >;

    const rates: Record<CrossTabKind, number[]> = { bus: [], raw: [], npm: [] };
    // One warm-up round, then rounds interleaved across kinds.
    for (let round = 0; round <= FLOOD_ROUNDS; round++) {
      for (const kind of KINDS) {
        await tabs.b.evaluate(([k, n]) => window.crossTabBench.sink(k, n), [kind, FLOOD] as const);
        let ms: number;
        try {
          ms = await tabs.a.evaluate(([k, n]) => window.crossTabBench.flood(k, n), [kind, FLOOD] as const);
        } catch (error) {
          const received = await tabs.b.evaluate(() => window.crossTabBench.received());
          throw new BenchFailure(
            `cross-tab flood (${kind}): the other tab received ${received} of ${FLOOD}: ${(error as Error).message}`,
          );
        }
        if (round > 0) rates[kind].push(FLOOD / (ms / 1000));
      }
    }
    await tabs.a.evaluate(() => window.crossTabBench.close());
    await tabs.b.evaluate(() => window.crossTabBench.close());
    const rate = (kind: CrossTabKind): number => median(rates[kind]);

    const latencyNote = `round trip / 2 over ${LATENCY_SAMPLES} ping-pongs per transport after ${LATENCY_WARMUP} warm-up, interleaved; payload { seq, sku, qty }`;
    const floodNote = `${FLOOD.toLocaleString('en')} messages sent in one synchronous loop, timed until the other tab confirmed all of them in order; median of ${FLOOD_ROUNDS} interleaved rounds after 1 warm-up (the bus coalesces a burst into batches of up to 512 per postMessage)`;
    return [
      {
        issue: 3,
        name: 'cross-tab one-way latency, bus vs raw BroadcastChannel',
        figure: latencyText(latency.bus),
        reference: `raw postMessage ${latencyText(latency.raw)}`,
        ratio: latency.bus.p50 / latency.raw.p50,
        goal: 'p50 <= 1.25x raw',
        met: latency.bus.p50 <= 1.25 * latency.raw.p50,
        note: latencyNote,
      },
      {
        issue: 3,
        name: 'cross-tab throughput, 100,000 messages A -> B, none lost, in order (context: against unbatched raw)',
        figure: `${formatRate(rate('bus'))} messages`,
        reference: `raw, one postMessage per message ${formatRate(rate('raw'))}`,
        ratio: rate('bus') / rate('raw'),
        goal: '— (context: the bus batches, this baseline does not; the fair comparison is the fan-out rows against raw batched the same way)',
        met: undefined,
        note: floodNote,
      },
      {
        issue: 3,
        name: 'cross-tab one-way latency, bus vs broadcast-channel (npm)',
        figure: latencyText(latency.bus),
        reference: `broadcast-channel ${latencyText(latency.npm)}`,
        ratio: latency.bus.p50 / latency.npm.p50,
        goal: '— (peer)',
        met: undefined,
        note: latencyNote,
      },
      {
        issue: 3,
        name: 'cross-tab throughput, bus vs broadcast-channel (npm)',
        figure: `${formatRate(rate('bus'))} messages`,
        reference: `broadcast-channel ${formatRate(rate('npm'))}`,
        ratio: rate('bus') / rate('npm'),
        goal: '— (peer)',
        met: undefined,
        note: floodNote,
      },
    ];
  } finally {
    await tabs.close();
  }
}
