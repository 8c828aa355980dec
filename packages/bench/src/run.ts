import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeMachine, packageVersion } from './harness/machine.ts';
import { REPO_ROOT } from './harness/paths.ts';
import { renderReport } from './harness/report.ts';
import type { BenchResult } from './harness/result.ts';
import { runNodeGroup } from './harness/run-node-group.ts';
import { renderTable } from './harness/table.ts';

// Runs every benchmark of the project, writes docs/benchmarks.md and prints the table. Exits 0
// when goals are missed (the table says so) and 1 when a group crashed or a correctness check failed.

const NODE_GROUPS = ['bus-throughput', 'routing', 'heap'];
const PACKAGES = ['@switchboard/bus', 'mitt', 'qlobber', 'tsx'];

const started = performance.now();
const machine = describeMachine();
const results: BenchResult[] = [];
const failures: string[] = [];

for (const group of NODE_GROUPS) {
  console.log(`bench: ${group}…`);
  try {
    results.push(...(await runNodeGroup(group)));
  } catch (error) {
    failures.push(`${group}: ${error instanceof Error ? error.message : String(error)}`);
    console.error(error);
  }
}

const versions = Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)]));
const markdown = renderReport({
  machine,
  versions,
  command: 'npm run bench',
  results,
  failures,
  seconds: (performance.now() - started) / 1000,
});
const target = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, markdown);
console.log(`\n${renderTable(results)}\n`);
if (failures.length > 0) console.error(`bench: ${failures.length} group(s) failed:\n- ${failures.join('\n- ')}`);
console.log(`bench: wrote ${path.relative(REPO_ROOT, target)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failures.length > 0 ? 1 : 0;
