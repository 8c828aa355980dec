import { createPubSub } from '@switchboard/bus';
import { check, type BenchResult } from '../harness/result.ts';
import { formatMB } from '../harness/stats.ts';
import { createPatterns } from './workload.ts';

const TOPICS = 1_000_000;
// The router keeps at most `topicCacheSize` (1024) topics' match lists; anything per topic that
// it kept beyond that would show up as tens of MB after a million distinct topics.
const BOUND_MB = 8;
const DOMAINS = ['orders', 'inventory', 'cart', 'users', 'billing', 'shipping', 'catalog', 'search', 'auth', 'notify'];
const ACTIONS = ['created', 'updated', 'deleted', 'viewed', 'shipped', 'paid', 'failed', 'synced'];

function settledHeap(gc: () => void): number {
  // Several passes: one full GC can leave objects that only a later pass finds unreachable.
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** heapUsed growth after 1,000,000 distinct topics through a bus with 10,000 subscriptions (issue 2). */
export function benchHeap(): BenchResult[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  check(typeof gc === 'function', 'heap: run with node --expose-gc; without it the heap figure would be noise.');
  const bus = createPubSub({ app: 'bench' });
  let hits = 0;
  for (const pattern of createPatterns(10_000)) {
    bus.subscribe(pattern, () => {
      hits++;
    });
  }
  const payload = { n: 1 };
  // Warm the code paths first, so the baseline already holds compiled code and inline caches.
  for (let i = 0; i < 10_000; i++) bus.publish(`warm.${i}`, payload);
  const before = settledHeap(gc);
  for (let i = 0; i < TOPICS; i++) {
    // Distinct ids beyond the workload's 1,000, so every topic is new to the router.
    bus.publish(`${DOMAINS[i % 10]}.u${Math.floor(i / 10)}.${ACTIONS[i % 8]}`, payload);
  }
  const after = settledHeap(gc);
  check(hits > 0, 'heap: no handler ran; the topics did not reach the router.');
  const growth = after - before;
  const stats = bus.stats();
  bus.dispose();
  return [
    {
      issue: 2,
      name: 'heap growth after 1,000,000 distinct topics (10,000 subscriptions)',
      figure: formatMB(growth),
      reference: `bound ${BOUND_MB} MB`,
      ratio: undefined,
      goal: `< ${BOUND_MB} MB heapUsed growth after gc`,
      met: growth < BOUND_MB * 1024 * 1024,
      note: `heapUsed ${formatMB(before)} -> ${formatMB(after)} (after 3 forced GCs each); ${stats.cachedTopics} topics cached; ${hits.toLocaleString('en')} deliveries`,
    },
  ];
}
