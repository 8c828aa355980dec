import type { Browser, Page } from 'playwright';
import type { FanoutKind } from '../../pages/cross-tab-fanout.page.ts';
import { BenchFailure, check, type BenchResult } from '../harness/result.ts';
import { formatMs, formatRate, median, percentile } from '../harness/stats.ts';
import { browserCpuMs, openTabs } from './browser.ts';

const RECEIVERS = [2, 4, 8];
const FLOOD = 50_000;
const FLOOD_ROUNDS = 5;
const LATENCY_SAMPLES = 300;
const LATENCY_WARMUP = 50;
const KINDS: FanoutKind[] = ['bus', 'batched', 'unchecked'];

/** Milliseconds per message as microseconds: `0.00052` -> `'0.52 µs'`. */
function formatMicros(ms: number): string {
  return `${(ms * 1000).toFixed(2)} µs`;
}

/**
 * Cross-tab delivery from one tab to 2, 4 and 8 receiving tabs: the bus against a raw
 * BroadcastChannel batched the same way by hand (the first message of a synchronous run at once,
 * the rest in arrays of at most 512 posted as they fill), throughput and one-way latency.
 */
export async function benchCrossTabFanout(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const tabs = await openTabs(
    browser,
    `${baseUrl}/cross-tab-fanout.html`,
    'window.fanoutBench !== undefined',
    1 + Math.max(...RECEIVERS),
  );
  const run = Math.random().toString(36).slice(2, 8);
  const results: BenchResult[] = [];
  try {
    for (const receivers of RECEIVERS) {
      const [sender, ...sinks] = tabs.pages.slice(0, receivers + 1) as [Page, ...Page[]];
      const config = `${run}-${receivers}`;
      for (const [index, page] of [sender, ...sinks].entries()) {
        await page.evaluate(([c, i]) => window.fanoutBench.open(c, i), [config, index] as const);
      }
      // Presence settled: every bus hears every other before anything is timed.
      for (const page of [sender, ...sinks]) {
        await page.waitForFunction((n) => window.fanoutBench.peers() === n, receivers, { timeout: 10_000 });
      }
      for (const [index, page] of sinks.entries()) {
        await page.evaluate((answers) => window.fanoutBench.listen(answers), index === 0);
      }
      const samples = await sender.evaluate(([kinds, n, warmup]) => window.fanoutBench.pingPong(kinds, n, warmup), [
        KINDS,
        LATENCY_SAMPLES,
        LATENCY_WARMUP,
      ] as const);

      const rates: Record<FanoutKind, number[]> = { bus: [], batched: [], unchecked: [] };
      // CPU time of the whole browser per flood: with 2 cores shared by every tab, the sum decides.
      const cpuMs: Record<FanoutKind, number> = { bus: 0, batched: 0, unchecked: 0 };
      // One warm-up round, then rounds interleaved across kinds.
      for (let round = 0; round <= FLOOD_ROUNDS; round++) {
        for (const kind of KINDS) {
          for (const page of sinks)
            await page.evaluate(([k, n]) => window.fanoutBench.sink(k, n), [kind, FLOOD] as const);
          let ms: number;
          const cpuBefore = await browserCpuMs(browser);
          try {
            ms = await sender.evaluate(([k, n, r]) => window.fanoutBench.flood(k, n, r), [
              kind,
              FLOOD,
              receivers,
            ] as const);
          } catch (error) {
            throw new BenchFailure(`cross-tab fan-out to ${receivers} tabs (${kind}): ${(error as Error).message}`);
          }
          // Nothing more may arrive after the confirmation: no duplicate, no stray message.
          for (const page of sinks) {
            const received = await page.evaluate(() => window.fanoutBench.received());
            check(received === FLOOD, `cross-tab fan-out (${kind}): a tab received ${received} of ${FLOOD}`);
          }
          if (round > 0) {
            rates[kind].push(FLOOD / (ms / 1000));
            cpuMs[kind] += (await browserCpuMs(browser)) - cpuBefore;
          }
        }
      }
      for (const page of [sender, ...sinks]) await page.evaluate(() => window.fanoutBench.close());

      const perKind = FLOOD * FLOOD_ROUNDS;
      const bus = { rate: median(rates.bus), p50: percentile(samples.bus!, 50), p99: percentile(samples.bus!, 99) };
      const unchecked = { rate: median(rates.unchecked), p50: percentile(samples.unchecked!, 50) };
      const raw = {
        rate: median(rates.batched),
        p50: percentile(samples.batched!, 50),
        p99: percentile(samples.batched!, 99),
      };
      results.push(
        {
          issue: 23,
          name: `cross-tab throughput to ${receivers} tabs, bus vs raw BroadcastChannel batched the same way`,
          figure: `${formatRate(bus.rate)} messages`,
          reference: `batched raw ${formatRate(raw.rate)}`,
          ratio: bus.rate / raw.rate,
          goal: '>= 1.0x batched raw',
          met: bus.rate >= raw.rate,
          note: `${FLOOD.toLocaleString('en')} messages { seq, sku, qty } sent in one synchronous loop by one tab, timed until each of ${receivers} receiving tabs confirmed all of them, each the next in order (none lost, duplicated or reordered; counts re-read afterwards); median of ${FLOOD_ROUNDS} interleaved rounds after 1 warm-up. The baseline posts the first message of the loop at once and the rest in arrays of at most 512, each as soon as it is full, as the bus does`,
        },
        {
          issue: 23,
          name: `cross-tab one-way latency to ${receivers} tabs, bus vs raw BroadcastChannel batched the same way`,
          figure: `p50 ${formatMs(bus.p50)}, p99 ${formatMs(bus.p99)}`,
          reference: `batched raw p50 ${formatMs(raw.p50)}, p99 ${formatMs(raw.p99)}`,
          ratio: bus.p50 / raw.p50,
          goal: 'p50 <= 1.25x batched raw',
          met: bus.p50 <= 1.25 * raw.p50,
          note: `round trip / 2 over ${LATENCY_SAMPLES} ping-pongs per transport after ${LATENCY_WARMUP} warm-up, interleaved; one receiving tab answers, the other ${receivers - 1} listen to every ping too; answers checked`,
        },
        {
          issue: 23,
          name: `cross-tab CPU per message to ${receivers} tabs, bus vs raw batched (context: all browser processes)`,
          figure: `${formatMicros(cpuMs.bus / perKind)} a message`,
          reference: `batched raw ${formatMicros(cpuMs.batched / perKind)}`,
          ratio: cpuMs.bus / cpuMs.batched,
          goal: '— (context: steadier than the rates on a shared machine; what the throughput rows depend on when cores are short)',
          met: undefined,
          note: `CPU time of every process of the browser (sender, ${receivers} receivers, the browser process that relays the posts; Chrome DevTools Protocol SystemInfo.getProcessInfo) over the ${FLOOD_ROUNDS} timed floods of each transport above, divided by the messages sent`,
        },
        {
          issue: 23,
          name: `cross-tab to ${receivers} tabs, bus with checkPayloads: false vs raw batched (context: what the payload checks cost)`,
          figure: `${formatRate(unchecked.rate)} messages, p50 ${formatMs(unchecked.p50)}`,
          reference: `batched raw ${formatRate(raw.rate)}, p50 ${formatMs(raw.p50)}`,
          ratio: unchecked.rate / raw.rate,
          goal: '— (context: with cross-tab attached the bus confirms each object payload with a structured clone, so a Proxy is refused at publish)',
          met: undefined,
          note: 'the same rounds, interleaved with the two rows above; the same checks of order and counts',
        },
      );
    }
    return results;
  } finally {
    await tabs.close();
  }
}
