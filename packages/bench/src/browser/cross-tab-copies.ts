import type { Browser } from 'playwright';
import type { CopiesMode } from '../../pages/cross-tab-copies.page.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatMs, median, percentile } from '../harness/stats.ts';
import { browserCpuMs, openTabs } from './browser.ts';
import { LIBRARY_COPY_PATH } from './server.ts';

const TABS = 5;
const MFES = 20;
const ROUNDS = 3;
const SETTLE_MS = 1500;
const IDLE_MS = 4000;
const SAMPLES = 200;
// Twenty copies are twenty copies of the code for V8 to optimise: with 30 warm-up pings, pings
// 150 to 200 of each round stalled 5 to 47 ms while it did (in one-bus tabs, never).
const WARMUP = 600;
const MODES: CopiesMode[] = ['single', 'copies'];

/**
 * Many bundled copies: 5 tabs in which 20 MFEs each bundle their own copy of Switchboard (each
 * with its own bus), against the same 5 tabs where the 20 MFEs share one bus. Idle CPU of the
 * whole browser, and ping-pong latency between two tabs while every MFE of every tab listens.
 */
export async function benchCrossTabCopies(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const run = Math.random().toString(36).slice(2, 8);
  const idle: Record<CopiesMode, number[]> = { single: [], copies: [] };
  // Per round, so that one round disturbed by other work on the machine does not decide the figure.
  const p50s: Record<CopiesMode, number[]> = { single: [], copies: [] };
  const p99s: Record<CopiesMode, number[]> = { single: [], copies: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const tabs = await openTabs(
        browser,
        `${baseUrl}/cross-tab-copies.html`,
        'window.copiesBench !== undefined',
        TABS,
      );
      try {
        const config = `${run}-${round}-${mode}`;
        for (const page of tabs.pages) {
          await page.evaluate(([c, m, n, url]) => window.copiesBench.open(c, m, n, url), [
            config,
            mode,
            MFES,
            LIBRARY_COPY_PATH,
          ] as const);
        }
        for (const page of tabs.pages) {
          await page.waitForFunction((n) => window.copiesBench.tabs() === n, TABS, { timeout: 10_000 });
        }
        for (const [index, page] of tabs.pages.entries()) {
          await page.evaluate((answers) => window.copiesBench.listen(answers), index === 1);
        }
        // Start-up (module loads, hellos, lock requests) is over before the idle window opens.
        await tabs.pages[0]!.waitForTimeout(SETTLE_MS);
        const cpuBefore = await browserCpuMs(browser);
        const start = performance.now();
        await tabs.pages[0]!.waitForTimeout(IDLE_MS);
        const cpuAfter = await browserCpuMs(browser);
        idle[mode].push((cpuAfter - cpuBefore) / ((performance.now() - start) / 1000));

        const samples = await tabs.pages[0]!.evaluate(([n, w]) => window.copiesBench.pingPong(n, w), [
          SAMPLES,
          WARMUP,
        ] as const);
        p50s[mode].push(percentile(samples, 50));
        p99s[mode].push(percentile(samples, 99));
        // Every MFE of every tab handled every ping exactly once.
        for (const page of tabs.pages) {
          const handled = await page.evaluate(() => window.copiesBench.handled());
          check(
            handled === (SAMPLES + WARMUP) * MFES,
            `bundled copies (${mode}): a tab's MFEs handled ${handled} pings, expected ${(SAMPLES + WARMUP) * MFES}`,
          );
        }
        for (const page of tabs.pages) await page.evaluate(() => window.copiesBench.close());
      } finally {
        await tabs.close();
      }
    }
  }
  const cpu = { single: median(idle.single), copies: median(idle.copies) };
  const p99 = { single: median(p99s.single), copies: median(p99s.copies) };
  const p50 = { single: median(p50s.single), copies: median(p50s.copies) };
  const setup = `${TABS} tabs, ${MFES} MFEs in each; "copies": each MFE loads its own copy of the built library (bus included) and creates its bus, "one bus": one copy and one bus per tab, used by all ${MFES} MFEs`;
  return [
    {
      issue: 23,
      name: `idle CPU, ${MFES} bundled copies in each of ${TABS} tabs vs one bus per tab`,
      figure: `${cpu.copies.toFixed(1)} ms/s`,
      reference: `one bus per tab ${cpu.single.toFixed(1)} ms/s`,
      ratio: cpu.copies / cpu.single,
      goal: '<= 1.5x one bus per tab',
      met: cpu.copies <= 1.5 * cpu.single,
      note: `${setup}; CPU time of all the browser's processes (Chrome DevTools Protocol SystemInfo.getProcessInfo) over ${IDLE_MS / 1000} s with nothing published, ${SETTLE_MS / 1000} s after start-up; median of ${ROUNDS} rounds, each configuration in a fresh context, alternating`,
    },
    {
      issue: 23,
      name: `cross-tab latency, ${MFES} bundled copies in each of ${TABS} tabs vs one bus per tab`,
      figure: `p50 ${formatMs(p50.copies)}, p99 ${formatMs(p99.copies)}`,
      reference: `one bus per tab p50 ${formatMs(p50.single)}, p99 ${formatMs(p99.single)}`,
      ratio: p99.copies / p99.single,
      goal: 'p99 <= 1.5x one bus per tab',
      met: p99.copies <= 1.5 * p99.single,
      note: `${setup}; round trip / 2 of ${SAMPLES} pings per round after ${WARMUP} warm-up (enough for V8 to optimise all ${MFES} copies of the code; until it has, copies stall up to tens of ms), from the first MFE of tab 1 to the first of tab 2 and back, while all ${MFES * TABS} MFEs listen to every ping (each tab checked to handle each ping once per MFE); p50 and p99 of each round, median of ${ROUNDS} rounds`,
    },
  ];
}
