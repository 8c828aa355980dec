import type { Browser, Page } from 'playwright';
import type { StoreKind } from '../../pages/stores.page.ts';
import { BenchFailure, type BenchResult } from '../harness/result.ts';
import { formatMs, formatRate, median, percentile } from '../harness/stats.ts';

const SAMPLES = 500;
const WARMUP = 50;
const TABS = 4;
const INCREMENTS = 1_000;
const BIG_BYTES = 1_000_000;
const HYDRATES = 11;

interface Latency {
  p50: number;
  p99: number;
}

const latencyOf = (samples: readonly number[]): Latency => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
});
const text = ({ p50, p99 }: Latency): string => `p50 ${formatMs(p50)}, p99 ${formatMs(p99)}`;

async function openTabs(browser: Browser, url: string, count: number, run: string) {
  const context = await browser.newContext();
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`bench page ${url}: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction('window.storesBench !== undefined');
    await page.evaluate((id) => window.storesBench.open(id), run);
    pages.push(page);
  }
  // The first tab leads: it holds the lock; wait until it sequences.
  await pages[0]!.waitForFunction(() => window.storesBench.isLeader(), undefined, { timeout: 10_000 });
  return { context, pages };
}

/** Runs the ping loop in `writer` and returns the receiver's samples after the warm-up. */
async function pings(writer: Page, receiver: Page, kinds: StoreKind[]): Promise<Record<StoreKind, Latency>> {
  await writer.evaluate(([k, n, w]) => window.storesBench.pingLoop(k, n, w), [kinds, SAMPLES, WARMUP] as const);
  const samples = await receiver.evaluate(() => window.storesBench.samples());
  const result = {} as Record<StoreKind, Latency>;
  for (const kind of kinds) {
    const all = samples[kind] ?? [];
    if (all.length < SAMPLES + WARMUP) {
      throw new BenchFailure(`stores bench: ${kind} delivered ${all.length} of ${SAMPLES + WARMUP} pings`);
    }
    result[kind] = latencyOf(all.slice(WARMUP, WARMUP + SAMPLES));
  }
  await receiver.evaluate(() => {
    for (const list of Object.values(window.storesBench.samples())) list.length = 0;
  });
  return result;
}

/**
 * Stores shared by tabs: an update in tab A seen in tab B against a raw BroadcastChannel and
 * TinyBase's MergeableStore; 4 tabs incrementing one counter at once; hydrating 1 MB in a lone tab.
 */
export async function benchStores(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const url = `${baseUrl}/stores.html`;
  const run = Math.random().toString(36).slice(2, 8);
  const rows: BenchResult[] = [];

  // Latency: leader L, writer A, receiver B. L writing is "A the leader".
  const three = await openTabs(browser, url, 3, `${run}-latency`);
  let leaderWrites: Record<StoreKind, Latency>;
  let followerWrites: Record<StoreKind, Latency>;
  try {
    const [leader, writer, receiver] = three.pages as [Page, Page, Page];
    await receiver.evaluate(() => window.storesBench.listen());
    await leader.evaluate(() => window.storesBench.relay());
    leaderWrites = await pings(leader, receiver, ['store', 'raw', 'tinybase']);
    followerWrites = await pings(writer, receiver, ['store', 'raw2', 'raw']);
  } finally {
    await three.context.close();
  }
  const note = `one-way (writer's timeOrigin + now() carried in the value, read in the receiver) over ${SAMPLES} pings per kind after ${WARMUP} warm-up, kinds interleaved, each ping after the previous one arrived; 3 tabs, the first the leader`;
  rows.push(
    {
      issue: 19,
      name: 'store update A -> B, A the leader, vs raw BroadcastChannel',
      figure: text(leaderWrites.store),
      reference: `raw postMessage ${text(leaderWrites.raw)}`,
      ratio: leaderWrites.store.p50 / leaderWrites.raw.p50,
      goal: 'p50 <= 1.5x raw',
      met: leaderWrites.store.p50 <= 1.5 * leaderWrites.raw.p50,
      note,
    },
    {
      issue: 19,
      name: 'store update A -> B, A not the leader (A -> leader -> B), vs two raw hops',
      figure: text(followerWrites.store),
      reference: `raw relayed by the leader tab ${text(followerWrites.raw2)} (one raw hop ${text(followerWrites.raw)})`,
      ratio: followerWrites.store.p50 / followerWrites.raw2.p50,
      goal: '— (report)',
      met: undefined,
      note,
    },
    {
      issue: 19,
      name: 'store update A -> B vs TinyBase MergeableStore + BroadcastChannelSynchronizer',
      figure: text(leaderWrites.store),
      reference: `TinyBase ${text(leaderWrites.tinybase)}`,
      ratio: leaderWrites.store.p50 / leaderWrites.tinybase.p50,
      goal: '— (peer)',
      met: undefined,
      note,
    },
  );

  // Concurrent increments: each of 4 tabs issues 1,000, one per task, all at once.
  const counts: Record<'store' | 'tinybase', { rate: number; lost: number }> = {
    store: { rate: 0, lost: 0 },
    tinybase: { rate: 0, lost: 0 },
  };
  for (const kind of ['store', 'tinybase'] as const) {
    const four = await openTabs(browser, url, TABS, `${run}-${kind}`);
    try {
      const started = performance.now();
      await Promise.all(
        four.pages.map((page) =>
          page.evaluate(([k, n]) => window.storesBench.increment(k, n), [kind, INCREMENTS] as const),
        ),
      );
      // Settled: every tab agrees, nothing pending, and nothing changed for 200 ms.
      let values: number[] = [];
      let stableSince = performance.now();
      let settledAt = performance.now();
      for (let waited = 0; waited < 60_000; waited += 20) {
        const next = await Promise.all(
          four.pages.map((page) =>
            page.evaluate((k) => window.storesBench.counterValue(k) * 1e6 + window.storesBench.pending(), kind),
          ),
        );
        if (next.join() !== values.join()) {
          values = next;
          stableSince = performance.now();
        }
        const agreed = values.every((v) => v === values[0] && v % 1e6 === 0);
        if (agreed && values[0] === TABS * INCREMENTS * 1e6) {
          settledAt = performance.now();
          break;
        }
        if (agreed && performance.now() - stableSince > 1000) {
          settledAt = stableSince;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const final = values[0]! / 1e6;
      counts[kind] = { rate: (TABS * INCREMENTS) / ((settledAt - started) / 1000), lost: TABS * INCREMENTS - final };
      if (kind === 'store' && final !== TABS * INCREMENTS) {
        throw new BenchFailure(
          `stores bench: 4 tabs x ${INCREMENTS} increments ended at ${values.map((v) => v / 1e6).join(', ')}, not ${TABS * INCREMENTS}`,
        );
      }
    } finally {
      await four.context.close();
    }
  }
  rows.push({
    issue: 19,
    name: `4 tabs x ${INCREMENTS.toLocaleString('en')} concurrent update(n => n + 1): updates lost`,
    figure: `${counts.store.lost} lost, ${formatRate(counts.store.rate)} updates`,
    reference: `TinyBase ${counts.tinybase.lost} lost, ${formatRate(counts.tinybase.rate)} updates`,
    ratio: undefined,
    goal: '0 lost',
    met: counts.store.lost === 0,
    note: `each tab issues one increment per task (MessageChannel), all tabs at once; timed until every tab shows the same final value with nothing pending (TinyBase: the same value for 1 s). TinyBase's value is last-writer-wins, so concurrent increments overwrite each other`,
  });

  // Hydrate: a 1 MB persisted store, every tab closed, then a lone tab opens.
  const writer = await openTabs(browser, url, 1, `${run}-big`);
  const lines = await writer.pages[0]!.evaluate((bytes) => window.storesBench.writeBig(bytes), BIG_BYTES);
  await writer.pages[0]!.waitForFunction(() => window.storesBench.pending() === 0);
  const times: number[] = [];
  for (let i = 0; i < HYDRATES; i++) {
    if (i === 0) await writer.pages[0]!.close();
    const page = await writer.context.newPage();
    await page.goto(url);
    await page.waitForFunction('window.storesBench !== undefined');
    const { ms, length } = await page.evaluate((id) => window.storesBench.hydrate(id), `${run}-big`);
    if (length !== lines) throw new BenchFailure(`stores bench: hydrated ${length} of ${lines} lines`);
    times.push(ms);
    await page.close();
  }
  await writer.context.close();
  const hydrateP50 = median(times);
  rows.push({
    issue: 19,
    name: 'hydrate a 1 MB persisted store in a lone new tab',
    figure: `p50 ${formatMs(hydrateP50)}`,
    reference: '50 ms',
    ratio: undefined,
    goal: 'p50 < 50 ms',
    met: hydrateP50 < 50,
    note: `${HYDRATES} tabs opened one at a time after every other closed; from creating the bus, cross-tab (Web Locks election) and stores to the store's ready; ${lines.toLocaleString('en')} strings of 100 characters`,
  });
  return rows;
}
