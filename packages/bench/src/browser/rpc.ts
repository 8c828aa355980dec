import type { Browser } from 'playwright';
import type { RpcBench } from '../../pages/rpc.page.ts';
import type { BenchResult } from '../harness/result.ts';
import { formatMs, percentile } from '../harness/stats.ts';
import { openTwoTabs } from './browser.ts';

const SAMPLES = 1_000;
const WARMUP = 100;

/** Cross-tab RPC round trip (issue 5) against a hand-written BroadcastChannel request/reply. */
export async function benchRpc(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const tabs = await openTwoTabs(browser, `${baseUrl}/rpc.html`, 'window.rpcBench !== undefined');
  try {
    const run = Math.random().toString(36).slice(2, 8);
    await tabs.a.evaluate((id) => window.rpcBench.open(id), run);
    await tabs.b.evaluate((id) => window.rpcBench.open(id), run);
    await tabs.b.evaluate(() => window.rpcBench.serve());
    const samples: Awaited<ReturnType<RpcBench['roundTrips']>> = await tabs.a.evaluate(
      ([n, w]) => window.rpcBench.roundTrips(n, w),
      [SAMPLES, WARMUP] as const,
    );
    await tabs.a.evaluate(() => window.rpcBench.close());
    await tabs.b.evaluate(() => window.rpcBench.close());
    const p50 = percentile(samples.rpc, 50);
    const rawP50 = percentile(samples.raw, 50);
    return [
      {
        issue: 5,
        name: 'cross-tab RPC round trip, createRpc vs raw BroadcastChannel request/reply',
        figure: `p50 ${formatMs(p50)}, p99 ${formatMs(percentile(samples.rpc, 99))}`,
        reference: `raw request/reply p50 ${formatMs(rawP50)}, p99 ${formatMs(percentile(samples.raw, 99))}`,
        ratio: p50 / rawP50,
        goal: 'p50 <= 1.5x raw',
        met: p50 <= 1.5 * rawP50,
        note: `${SAMPLES} round trips each after ${WARMUP} warm-up, alternating rpc and raw; the handler in tab B echoes its params; answers checked`,
      },
    ];
  } finally {
    await tabs.close();
  }
}
