import type { Browser, Page } from 'playwright';
import type { WriterTimes } from '../../pages/history-writers.page.ts';
import { BenchFailure, check, type BenchResult } from '../harness/result.ts';
import { formatMs, formatRate, median } from '../harness/stats.ts';

const TABS = 8;
const WRITERS = [1, 4, 8] as const;
/** Messages per load, split between the writing tabs. */
const LOAD = 16_000;
const BULK = 10_000;
const ROUNDS = 3;
/** Offered load of the drain rows, as a share of one tab's bulk rate, and how long it lasts. */
const DRAIN_LOADS = [0.5, 1] as const;
const DRAIN_SECONDS = 2;
const DRAIN_TICK_MS = 10;

/** Opens `count` tabs of one context on the writers page; each gets its own bus and history. */
async function openTabs(browser: Browser, url: string, count: number) {
  const context = await browser.newContext();
  const run = Math.random().toString(36).slice(2, 8);
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`bench page ${url}: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction('window.historyWriters !== undefined');
    await page.evaluate(([id, tab]) => window.historyWriters.open(id, tab), [run, i] as const);
    pages.push(page);
  }
  return { pages, close: () => context.close() };
}

/** Wall time from the first publish of any tab to the last commit of any tab. */
function span(times: readonly WriterTimes[]): { ms: number; drainMs: number; published: number } {
  const first = Math.min(...times.map((t) => t.firstPublish));
  const committed = Math.max(...times.map((t) => t.committed));
  const lastPublish = Math.max(...times.map((t) => t.lastPublish));
  return {
    ms: committed - first,
    drainMs: committed - lastPublish,
    published: times.reduce((sum, t) => sum + t.published, 0),
  };
}

/**
 * History writers across tabs: aggregate commit throughput with 1, 4 and 8 tabs publishing as fast
 * as they can, beside one tab's bulk write of the same records in the same run; and the backlog
 * left when publishing stops, at offered loads of half and all of that bulk rate.
 */
export async function benchHistoryWriters(browser: Browser, baseUrl: string): Promise<BenchResult[]> {
  const tabs = await openTabs(browser, `${baseUrl}/history-writers.html`, TABS);
  const { pages } = tabs;
  try {
    const bulkRates: number[] = [];
    const rates = new Map<number, number[]>(WRITERS.map((k) => [k, []]));
    for (let round = 0; round <= ROUNDS; round++) {
      const bulkMs = await pages[0]!.evaluate((n) => window.historyWriters.rawBulk(n), BULK);
      if (round > 0) bulkRates.push(BULK / (bulkMs / 1000));
      for (const writers of WRITERS) {
        await pages[0]!.evaluate(() => window.historyWriters.clear());
        const share = LOAD / writers;
        const times = await Promise.all(
          pages.slice(0, writers).map((page) => page.evaluate((n) => window.historyWriters.publishFast(n, 500), share)),
        );
        const { ms, published } = span(times);
        check(published === LOAD, `history writers: ${published} published, expected ${LOAD}`);
        const stored = await pages[0]!.evaluate(() => window.historyWriters.count());
        check(stored === LOAD, `history writers (${writers} tabs): ${stored} records stored, expected ${LOAD}`);
        if (round > 0) rates.get(writers)!.push(LOAD / (ms / 1000));
      }
    }
    const bulk = median(bulkRates);

    const drains = new Map<number, { drain: number[]; offered: number; tickMs: number }>();
    for (const load of DRAIN_LOADS) {
      const perTabRate = (load * bulk) / TABS;
      // Whole messages per tick, ticks spaced so the rate is the one the row names: rounding the
      // messages per 10 ms tick instead offered several times the named load on a slow machine
      // (one message per tick where a quarter was due) and up to a third more on a faster one.
      const perTick = Math.max(1, Math.ceil((perTabRate * DRAIN_TICK_MS) / 1000));
      const tickMs = Math.round((1000 * perTick) / perTabRate);
      const count = Math.round(perTabRate * DRAIN_SECONDS);
      const drain: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await pages[0]!.evaluate(() => window.historyWriters.clear());
        const times = await Promise.all(
          pages.map((page) =>
            page.evaluate(([n, k, ms]) => window.historyWriters.publishPaced(n, k, ms), [
              count,
              perTick,
              tickMs,
            ] as const),
          ),
        );
        const stored = await pages[0]!.evaluate(() => window.historyWriters.count());
        check(stored === count * TABS, `history drain: ${stored} records stored, expected ${count * TABS}`);
        drain.push(span(times).drainMs);
      }
      drains.set(load, { drain, offered: (perTick * TABS * 1000) / tickMs, tickMs });
    }
    await Promise.all(pages.map((page) => page.evaluate(() => window.historyWriters.close())));

    const bulkText = `one tab's bulk ${formatRate(bulk)}`;
    const throughputNote = `${LOAD.toLocaleString('en')} messages split between the tabs, each publishing 500 per task as fast as it can (cross-tab and history in every tab), timed from the first publish to the last tab's \`bus.flush()\`; bulk: ${BULK.toLocaleString('en')} records of the same layout in one transaction, one tab; median of ${ROUNDS} interleaved rounds after 1 warm-up; record counts checked`;
    const rows: BenchResult[] = WRITERS.map((writers) => {
      const rate = median(rates.get(writers)!);
      return {
        issue: 22,
        name: `history: aggregate commit throughput, ${writers} writing tab${writers === 1 ? '' : 's'}`,
        figure: `${formatRate(rate)} messages`,
        reference: bulkText,
        ratio: rate / bulk,
        goal: '>= 0.8x bulk',
        met: rate >= 0.8 * bulk,
        note: throughputNote,
      };
    });
    for (const load of DRAIN_LOADS) {
      const { drain, offered, tickMs } = drains.get(load)!;
      const ms = median(drain);
      rows.push({
        issue: 22,
        name: `history: backlog drained after the last publish, 8 tabs offering ${load}x one tab's bulk rate`,
        figure: formatMs(ms),
        reference: 'limit 1000 ms',
        ratio: undefined,
        goal: '<= 1 s',
        met: ms <= 1_000,
        note: `8 tabs publishing every ${tickMs} ms for ${DRAIN_SECONDS} s, ${formatRate(offered)} in all (bulk ${formatRate(bulk)}); time from the last publish of any tab until every tab's \`bus.flush()\` resolved; median of ${ROUNDS} rounds; record counts checked`,
      });
    }
    return rows;
  } catch (error) {
    if (error instanceof BenchFailure) throw error;
    throw new BenchFailure(`history writers: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await tabs.close();
  }
}
