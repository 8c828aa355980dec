import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright';
import { BASELINES, type Baseline, type Shape } from '../../pages/history-baselines.ts';
import { expectedAnswer, queryOf } from '../../pages/history-dataset.ts';
// Type-only: brings in the `window.historyScale` declaration of the page.
import type {} from '../../pages/history-scale.page.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatMs, median, percentile } from '../harness/stats.ts';
import { openTwoTabsOnDisk } from './browser.ts';
import type { PageServer } from './server.ts';

/** Record counts; `BENCH_HISTORY_SIZES=100000` skips the million (its build takes minutes). */
const SIZES = (process.env.BENCH_HISTORY_SIZES ?? '100000,1000000').split(',').map(Number);
/**
 * A browser profile directory to keep the built databases in: a later run with the same one
 * reuses them (after checking their record counts) instead of writing them again. Unset, each run
 * builds into a temporary profile and removes it.
 */
const KEPT_PROFILE = process.env.BENCH_HISTORY_PROFILE;
const SHAPES: Shape[] = ['sparse', 'entity', 'dense', 'plus', 'replay'];
const SHAPE_NAMES: Record<Shape, string> = {
  sparse: "getHistory('legacy.#', { limit: 100 }), sparse and old",
  entity: "getHistory('orders.o<k>.#', { limit: 100 }), sparse",
  dense: "getHistory('orders.#', { limit: 100 }), dense",
  plus: "getHistory('+.o<k>.#', { limit: 100 })",
  replay: "replay of the last 1,000 of 'orders.+.created'",
};
const ROUNDS = 5;
const LATENCY_MS = 3_000;

/**
 * The pages' origin for a kept profile: IndexedDB is per origin, and so per port, so the port its
 * databases were written from is remembered in the profile and served again.
 */
async function keptOrigin(server: PageServer, profile: string): Promise<string> {
  mkdirSync(profile, { recursive: true });
  const file = path.join(profile, 'switchboard-bench-port');
  const port = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
  const url = await server.anotherOrigin(port).catch((error: unknown) => {
    console.warn(`bench: history-scale: port ${port} is taken (${String(error)}); the databases are written again`);
    return server.anotherOrigin();
  });
  writeFileSync(file, new URL(url).port);
  return url;
}

/**
 * History at scale: a database of 100,000 and of 1,000,000 records, written once per run through
 * the adapter in bursts of 10,000 (and raw into a classic `[namespace, topic, ts]` layout for the
 * baselines); each query shape through the library against the best of the hand-written queries
 * on one index, rounds interleaved, every answer checked against the data set (the newest N, in
 * order); then publish → committed latency in another tab while the queries run, against idle.
 */
export async function benchHistoryScale(
  _browser: Browser,
  pagesUrl: string,
  server: PageServer,
): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  const baseUrl = KEPT_PROFILE === undefined ? pagesUrl : await keptOrigin(server, KEPT_PROFILE);
  for (const size of SIZES) {
    const tabs = await openTwoTabsOnDisk(
      `${baseUrl}/history-scale.html`,
      'window.historyScale !== undefined',
      KEPT_PROFILE,
    );
    const [a, b] = [tabs.a, tabs.b];
    try {
      const run = KEPT_PROFILE === undefined ? Math.random().toString(36).slice(2, 8) : 'kept';
      await a.evaluate(([id, n]) => window.historyScale.open(id, n), [run, size] as const);
      const reused = KEPT_PROFILE !== undefined && (await a.evaluate((n) => window.historyScale.reuse(n), size));
      let origin = `reused from ${KEPT_PROFILE}`;
      if (!reused) {
        const built = await a.evaluate((n) => window.historyScale.build(n), size);
        origin = `written in ${(built.adapterMs / 1000).toFixed(0)} s through the adapter`;
        console.log(
          `bench: history-scale: ${size.toLocaleString('en')} records written in ${(built.adapterMs / 1000).toFixed(1)} s through the adapter, ${(built.classicMs / 1000).toFixed(1)} s raw (classic layout)`,
        );
      }
      await b.evaluate(([id, n]) => window.historyScale.open(id, n), [run, size] as const);
      const library = new Map<Shape, number[]>(SHAPES.map((shape) => [shape, []]));
      const baselines = new Map<string, number[]>();
      for (let round = 0; round <= ROUNDS; round++) {
        const entity = (round * 137) % 1000;
        for (const shape of SHAPES) {
          const { pattern, limit } = queryOf(shape, entity);
          const expected = expectedAnswer(size, pattern, limit);
          const mine = await a.evaluate(([s, e]) => window.historyScale.library(s, e), [shape, entity] as const);
          check(
            JSON.stringify(mine.found) === JSON.stringify(expected),
            `history-scale ${size}: ${pattern} returned ${mine.found.length} messages, not the newest ${expected.length} in order`,
          );
          if (round > 0) library.get(shape)!.push(mine.ms);
          for (const baseline of BASELINES[shape]) {
            const theirs = await a.evaluate(([s, e, bl]) => window.historyScale.baseline(s, e, bl), [
              shape,
              entity,
              baseline,
            ] as const);
            check(
              JSON.stringify(theirs.found) === JSON.stringify(expected),
              `history-scale ${size}: the ${baseline} baseline of ${pattern} disagrees with the data set`,
            );
            const key = `${shape}/${baseline}`;
            if (round > 0) baselines.set(key, [...(baselines.get(key) ?? []), theirs.ms]);
          }
        }
      }
      for (const shape of SHAPES) {
        const ours = median(library.get(shape)!);
        const candidates = BASELINES[shape].map((baseline): [Baseline, number] => [
          baseline,
          median(baselines.get(`${shape}/${baseline}`)!),
        ]);
        const [best, bestMs] = candidates.reduce((x, y) => (y[1] < x[1] ? y : x));
        rows.push({
          issue: 23,
          name: `history at ${size.toLocaleString('en')} records: ${SHAPE_NAMES[shape]}`,
          figure: formatMs(ours),
          reference: `best hand-written (${best}) ${formatMs(bestMs)}`,
          ratio: ours / bestMs,
          goal: '<= 2x best hand-written',
          met: ours <= 2 * bestMs,
          note: `median of ${ROUNDS} interleaved rounds after 1 warm-up, a different entity each round; every answer checked against the data set (the newest ${queryOf(shape, 0).limit}, in order); hand-written on one index: ${candidates.map(([name, ms]) => `${name} ${formatMs(ms)}`).join(', ')}; database ${origin}`,
        });
      }

      // Publish → committed in tab b (another namespace of the same store), idle, then while tab a
      // runs every query shape in a loop.
      await b.evaluate(() => window.historyScale.startPublishing('latency-idle'));
      await a.waitForTimeout(LATENCY_MS);
      const idle = await b.evaluate(() => window.historyScale.stopPublishing());
      await b.evaluate(() => window.historyScale.startPublishing('latency-busy'));
      const until = Date.now() + LATENCY_MS;
      let queries = 0;
      while (Date.now() < until) {
        for (const shape of SHAPES) {
          await a.evaluate(([s, e]) => window.historyScale.library(s, e), [shape, queries % 1000] as const);
          queries++;
        }
      }
      const busy = await b.evaluate(() => window.historyScale.stopPublishing());
      const idleP99 = percentile(idle, 99);
      const busyP99 = percentile(busy, 99);
      rows.push({
        issue: 23,
        name: `history at ${size.toLocaleString('en')} records: publish latency p99 while queries run`,
        figure: `p99 ${formatMs(busyP99)} (p50 ${formatMs(median(busy))})`,
        reference: `idle p99 ${formatMs(idleP99)} (p50 ${formatMs(median(idle))})`,
        ratio: busyP99 / idleP99,
        goal: 'p99 <= 2x idle',
        met: busyP99 <= 2 * idleP99,
        note: `another tab publishes every ~2 ms (its own namespace, same store), each timed until its \`bus.flush()\` resolved: ${idle.length} samples idle, ${busy.length} while this tab ran ${queries} queries of every shape back to back`,
      });
      await a.evaluate((keep) => window.historyScale.close(keep), KEPT_PROFILE !== undefined);
    } finally {
      await tabs.close();
    }
  }
  return rows;
}
