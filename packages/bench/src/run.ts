import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeMachine, packageVersion } from './harness/machine.ts';
import { REPO_ROOT } from './harness/paths.ts';
import { renderReport } from './harness/report.ts';
import type { BenchResult } from './harness/result.ts';
import { runNodeGroup } from './harness/run-node-group.ts';
import { renderTable } from './harness/table.ts';
import { medianRows } from './harness/median-rows.ts';
import { launchChromium } from './browser/browser.ts';
import { benchColdStart } from './browser/cold-start.ts';
import { benchCrossTab } from './browser/cross-tab.ts';
import { benchStores } from './browser/stores.ts';
import { benchCrossTabCopies } from './browser/cross-tab-copies.ts';
import { benchCrossTabFanout } from './browser/cross-tab-fanout.ts';
import { benchHistory } from './browser/history.ts';
import { benchFrame } from './browser/frame.ts';
import { benchHistoryScale } from './browser/history-scale.ts';
import { benchHistoryWriters } from './browser/history-writers.ts';
import { benchMqtt } from './browser/mqtt.ts';
import { benchRpc } from './browser/rpc.ts';
import { startPageServer } from './browser/server.ts';

// Runs every benchmark of the project, writes docs/benchmarks.md and prints the table. Exits 0
// when goals are missed (the table says so) and 1 when a group crashed or a correctness check failed.
// `npm run bench -- --only history` runs one group and only prints its rows: a partial table must
// not replace docs/benchmarks.md.

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
const selected = (name: string): boolean => only === undefined || name === only;
const NODE_GROUPS = ['bus-throughput', 'routing', 'churn', 'memory', 'size', 'apps'].filter(selected);
const BROWSER_GROUPS = [
  { name: 'cross-tab', run: benchCrossTab },
  { name: 'cross-tab-fanout', run: benchCrossTabFanout },
  { name: 'cross-tab-copies', run: benchCrossTabCopies },
  { name: 'history', run: benchHistory },
  { name: 'history-writers', run: benchHistoryWriters },
  { name: 'history-scale', run: benchHistoryScale },
  { name: 'rpc', run: benchRpc },
  { name: 'frame', run: benchFrame },
  { name: 'cold-start', run: benchColdStart },
  { name: 'stores', run: benchStores },
  { name: 'mqtt', run: benchMqtt },
].filter((group) => selected(group.name));
if (NODE_GROUPS.length + BROWSER_GROUPS.length === 0) throw new Error(`bench: --only '${only}' names no group`);
const PACKAGES = [
  '@switchboard/bus',
  '@switchboard/cross-tab',
  '@switchboard/history',
  '@switchboard/patterns',
  '@switchboard/frame',
  '@switchboard/store',
  '@switchboard/mqtt',
  'mqtt',
  'tinybase',
  'mitt',
  'valibot',
  'qlobber',
  'broadcast-channel',
  'playwright',
  'vite',
  'tsx',
];

const runsAt = process.argv.indexOf('--runs');
// A row counts by the median of three full runs; one group alone is a quick look, run once.
const RUNS = runsAt === -1 ? (only === undefined ? 3 : 1) : Number(process.argv[runsAt + 1]);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`bench: --runs wants a whole number >= 1, got '${process.argv[runsAt + 1]}'`);

const started = performance.now();
const machine = describeMachine();
const runs: BenchResult[][] = [];
const failures: string[] = [];
let chromiumVersion = 'not started';

for (let run = 1; run <= RUNS; run++) {
  if (RUNS > 1) console.log(`bench: run ${run} of ${RUNS}`);
  runs.push(await runOnce(run));
}
const results = medianRows(runs);

async function runOnce(run: number): Promise<BenchResult[]> {
  const tag = RUNS > 1 ? ` (run ${run})` : '';
  const rows: BenchResult[] = [];
  for (const group of NODE_GROUPS) {
    console.log(`bench: ${group}…`);
    try {
      rows.push(...(await runNodeGroup(group)));
    } catch (error) {
      failures.push(`${group}${tag}: ${error instanceof Error ? error.message : String(error)}`);
      console.error(error);
    }
  }
  if (BROWSER_GROUPS.length === 0) return rows;
  console.log('bench: building the browser pages…');
  try {
    const server = await startPageServer();
    const browser = await launchChromium();
    chromiumVersion = browser.version();
    try {
      for (const group of BROWSER_GROUPS) {
        console.log(`bench: ${group.name} (Chromium)…`);
        try {
          rows.push(...(await group.run(browser, server.url, server)));
        } catch (error) {
          failures.push(`${group.name}${tag}: ${error instanceof Error ? error.message : String(error)}`);
          console.error(error);
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } catch (error) {
    failures.push(`browser setup${tag}: ${error instanceof Error ? error.message : String(error)}`);
    console.error(error);
  }
  return rows;
}

const versions = Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)]));
const markdown = renderReport({
  machine,
  versions: { Chromium: chromiumVersion, ...versions },
  command: `npm run bench${RUNS === 3 || only !== undefined ? '' : ` -- --runs ${RUNS}`}`,
  results,
  failures,
  seconds: (performance.now() - started) / 1000,
});
const target = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
if (only === undefined) {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, markdown);
  // In the formatter's layout (aligned tables), so `npm run lint` accepts the file as written.
  execFileSync('npx', ['biome', 'format', '--write', target], { cwd: REPO_ROOT, stdio: 'ignore' });
}
console.log(`\n${renderTable(results)}\n`);
if (failures.length > 0) console.error(`bench: ${failures.length} group(s) failed:\n- ${failures.join('\n- ')}`);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(
  only === undefined
    ? `bench: wrote ${path.relative(REPO_ROOT, target)} in ${seconds} s`
    : `bench: group '${only}' in ${seconds} s`,
);
process.exitCode = failures.length > 0 ? 1 : 0;
