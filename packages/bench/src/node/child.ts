import { benchApps } from './apps.ts';
import { benchBusThroughput } from './bus-throughput.ts';
import { benchHeap } from './heap.ts';
import { benchRouting } from './routing.ts';
import type { BenchResult } from '../harness/result.ts';

/** Node benchmark groups; each runs in a fresh process so one group's JIT state and heap do not skew the next. */
export const NODE_GROUPS: Record<string, () => BenchResult[]> = {
  'bus-throughput': benchBusThroughput,
  routing: benchRouting,
  heap: benchHeap,
  apps: benchApps,
};

// Entry point of the forked process: run one group and hand its results to the parent.
const group = process.argv[2];
if (group !== undefined && process.send) {
  const run = NODE_GROUPS[group];
  if (!run)
    throw new Error(`bench child: unknown group '${group}'; expected one of ${Object.keys(NODE_GROUPS).join(', ')}.`);
  const results = run();
  process.send({ results }, () => process.exit(0));
}
