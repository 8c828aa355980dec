import { benchApps } from './apps.ts';
import { benchBusThroughput } from './bus-throughput.ts';
import { benchChurn } from './churn.ts';
import { benchMemory } from './memory.ts';
import { benchRouting } from './routing.ts';
import { benchSize } from './size.ts';
import type { BenchResult } from '../harness/result.ts';

/** Node benchmark groups; each runs in a fresh process so one group's JIT state and heap do not skew the next. */
export const NODE_GROUPS: Record<string, () => BenchResult[] | Promise<BenchResult[]>> = {
  'bus-throughput': benchBusThroughput,
  routing: benchRouting,
  churn: benchChurn,
  memory: benchMemory,
  size: benchSize,
  apps: benchApps,
};

// Entry point of the forked process: run one group and hand its results to the parent.
const group = process.argv[2];
if (group !== undefined && process.send) {
  const run = NODE_GROUPS[group];
  if (!run)
    throw new Error(`bench child: unknown group '${group}'; expected one of ${Object.keys(NODE_GROUPS).join(', ')}.`);
  const results = await run();
  process.send({ results }, () => process.exit(0));
}
