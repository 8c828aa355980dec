import type { Browser } from 'playwright';
import type { FrameKind } from '../../pages/frame.page.ts';
import type { BenchResult } from '../harness/result.ts';
import { formatMs, percentile } from '../harness/stats.ts';
import type { PageServer } from './server.ts';

const SAMPLES = 1_000;
const WARMUP = 100;
const KINDS: FrameKind[] = ['bus', 'relay'];

/**
 * An MFE in a frame of another origin to another tab and back: the frame bridge (handshake,
 * port, the host's handle with a manifest, cross-tab) against the same relay written by hand
 * (`postMessage` between the windows with origin checks, a BroadcastChannel between the tabs).
 */
export async function benchFrame(browser: Browser, baseUrl: string, server: PageServer): Promise<BenchResult[]> {
  const frameOrigin = await server.anotherOrigin();
  const context = await browser.newContext();
  try {
    const [host, peer] = [await context.newPage(), await context.newPage()];
    for (const page of [host, peer]) {
      page.on('pageerror', (error) => console.error(`bench page frame.html: ${error.message}`));
      await page.goto(`${baseUrl}/frame.html`);
      await page.waitForFunction('window.frameBench !== undefined');
    }
    if (!(await peer.evaluate(() => window.crossOriginIsolated))) {
      throw new Error(
        'benchFrame(): frame.html is not cross-origin isolated; its latencies would be rounded to 100 µs.',
      );
    }
    const run = Math.random().toString(36).slice(2, 8);
    await peer.evaluate((id) => window.frameBench.peer(id), run);
    const frameUrl = `${frameOrigin}/frame-child.html?host=${encodeURIComponent(baseUrl)}`;
    await host.evaluate(([id, url]) => window.frameBench.host(id, url), [run, frameUrl] as const);
    const samples = await peer.evaluate(([kinds, n, w]) => window.frameBench.pingPong(kinds, n, w), [
      KINDS,
      SAMPLES,
      WARMUP,
    ] as const);
    await host.evaluate(() => window.frameBench.close());
    await peer.evaluate(() => window.frameBench.close());
    const p50 = percentile(samples.bus!, 50);
    const relayP50 = percentile(samples.relay!, 50);
    return [
      {
        issue: 18,
        name: 'frame -> other tab one-way latency, frame bridge + cross-tab vs hand-written relay',
        figure: `p50 ${formatMs(p50)}, p99 ${formatMs(percentile(samples.bus!, 99))}`,
        reference: `postMessage + BroadcastChannel relay p50 ${formatMs(relayP50)}, p99 ${formatMs(percentile(samples.relay!, 99))}`,
        ratio: p50 / relayP50,
        goal: 'p50 <= 1.3x relay',
        met: p50 <= 1.3 * relayP50,
        note: `round trip / 2 between a frame on another port (origin) of 127.0.0.1 in tab A and tab B, ${SAMPLES} ping-pongs per kind after ${WARMUP} warm-up, interleaved; the frame's handle has a manifest (publish and subscribe bench.#), so the host checks every message; answers checked`,
      },
    ];
  } finally {
    await context.close();
  }
}
