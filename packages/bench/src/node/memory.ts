import { randomUUID } from 'node:crypto';
import { createPubSub } from '@switchboard/bus';
import { Qlobber } from 'qlobber';
import { check, type BenchResult } from '../harness/result.ts';
import { formatMB } from '../harness/stats.ts';
import { createPatterns } from './workload.ts';

const handler = (): void => {};
const DOMAINS = ['orders', 'inventory', 'cart', 'users', 'billing', 'shipping', 'catalog', 'search', 'auth', 'notify'];
const ACTIONS = ['created', 'updated', 'deleted', 'viewed', 'shipped', 'paid', 'failed', 'synced'];
const REPEATS = 5;

function collect(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  check(typeof gc === 'function', 'memory: run with node --expose-gc; without it the figures would be noise.');
  return gc;
}

/** What the heap holds after full collections: JS objects and the typed arrays' buffers. */
function settled(): number {
  const gc = collect();
  // Several passes: one full GC can leave objects that only a later pass finds unreachable.
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Flat copies of the patterns (both sides then start from the same strings, none of them ropes). */
function flat(patterns: readonly string[]): string[] {
  return patterns.map((pattern) => pattern.split('.').join('.'));
}

/** Bytes per subscription of `patterns` in a fresh bus (its unsubscribe functions kept, as apps keep them). */
function busBytes(patterns: readonly string[]): number {
  const offs = new Array<() => void>(patterns.length).fill(handler);
  const before = settled();
  const bus = createPubSub({ app: 'bench' });
  for (let i = 0; i < patterns.length; i++) offs[i] = bus.subscribe(patterns[i]!, handler);
  const after = settled();
  check(bus.stats().subscriptions === patterns.length, 'memory: the bus lost subscriptions.');
  bus.dispose();
  return (after - before) / patterns.length;
}

function qlobberBytes(patterns: readonly string[]): number {
  const before = settled();
  const qlobber = new Qlobber<() => void>({ separator: '.', wildcard_one: '+', wildcard_some: '#' });
  for (let i = 0; i < patterns.length; i++) qlobber.add(patterns[i]!, handler);
  const after = settled();
  check(
    qlobber.match(patterns[0]!.replaceAll('+', 'x').replace('#', 'x')).length > 0,
    'memory: qlobber lost a pattern.',
  );
  return (after - before) / patterns.length;
}

function median(values: number[]): number {
  return values.sort((a, b) => a - b)[values.length >> 1]!;
}

function perSubscription(name: string, patterns: readonly string[], note: string): BenchResult {
  // Warm both first, so compiled code and inline caches are in the baseline, not the figure.
  busBytes(patterns.slice(0, 2_000));
  qlobberBytes(patterns.slice(0, 2_000));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    ours.push(busBytes(patterns));
    theirs.push(qlobberBytes(patterns));
  }
  const bus = median(ours);
  const peer = median(theirs);
  const ratio = bus / peer;
  return {
    issue: 23,
    name,
    figure: `${bus.toFixed(0)} B per subscription`,
    reference: `qlobber ${peer.toFixed(0)} B`,
    ratio,
    goal: '<= 1.2x qlobber',
    met: ratio <= 1.2,
    note:
      `${note}; heapUsed + arrayBuffers after 3 forced GCs, before and after subscribing, divided by the ` +
      `count; the bus's unsubscribe functions are kept (as apps keep them), one handler shared by all; ` +
      `median of ${REPEATS} alternating builds after a warm-up of each`,
  };
}

/** Growth after 1,000,000 distinct topics through a bus with 10,000 subscriptions: nothing per topic stays. */
function afterDistinctTopics(): BenchResult {
  const bound = 8;
  const bus = createPubSub({ app: 'bench' });
  let hits = 0;
  for (const pattern of createPatterns(10_000)) {
    bus.subscribe(pattern, () => {
      hits++;
    });
  }
  const payload = { n: 1 };
  for (let i = 0; i < 10_000; i++) bus.publish(`warm.${i}`, payload);
  const before = settled();
  for (let i = 0; i < 1_000_000; i++) {
    // Ids beyond the workload's 1,000: every topic is new to the router.
    bus.publish(`${DOMAINS[i % 10]}.u${Math.floor(i / 10)}.${ACTIONS[i % 8]}`, payload);
  }
  const after = settled();
  check(hits > 0, 'memory: no handler ran; the topics did not reach the router.');
  const stats = bus.stats();
  bus.dispose();
  return {
    issue: 23,
    name: 'heap growth after 1,000,000 distinct topics (10,000 subscriptions)',
    figure: formatMB(after - before),
    reference: `bound ${bound} MB`,
    ratio: undefined,
    goal: `< ${bound} MB`,
    met: after - before < bound * 1024 * 1024,
    note: `heapUsed + arrayBuffers ${formatMB(before)} -> ${formatMB(after)} (after 3 forced GCs each); ${stats.cachedTopics} topics cached; ${hits.toLocaleString('en')} deliveries`,
  };
}

/**
 * Growth after 100,000 requests' reply topics were each subscribed, answered and unsubscribed
 * beside 10,000 resident subscriptions: their segments enter the routing tables, which must give
 * the space back.
 */
function afterReplyTopics(): BenchResult {
  const bound = 1;
  const bus = createPubSub({ app: 'bench' });
  for (const pattern of createPatterns(10_000)) bus.subscribe(pattern, handler);
  let answered = 0;
  const reply = (): void => {
    answered++;
  };
  const cycle = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const topic = `rpc.reply.${randomUUID()}`;
      const off = bus.subscribe(topic, reply);
      bus.publish(topic, { ok: true });
      off();
    }
  };
  cycle(10_000);
  const before = settled();
  cycle(100_000);
  const after = settled();
  check(answered === 110_000, `memory: ${answered} replies arrived, expected 110,000.`);
  bus.dispose();
  return {
    issue: 23,
    name: 'heap growth after 100,000 reply topics subscribed, answered and unsubscribed',
    figure: formatMB(after - before),
    reference: `bound ${bound} MB`,
    ratio: undefined,
    goal: `< ${bound} MB`,
    met: after - before < bound * 1024 * 1024,
    note: `\`rpc.reply.<uuid>\` beside 10,000 resident subscriptions; heapUsed + arrayBuffers ${formatMB(before)} -> ${formatMB(after)} (after 3 forced GCs each), after a warm-up of 10,000 such requests`,
  };
}

/** Memory per subscription against qlobber, and what stays after topics and reply topics pass. */
export function benchMemory(): BenchResult[] {
  const uuids = (count: number) => Array.from({ length: count }, () => ['rpc', 'reply', randomUUID()].join('.'));
  return [
    perSubscription(
      'memory per subscription, 10,000 in the issue-2 mix',
      flat(createPatterns(10_000)),
      "the routing workload's patterns",
    ),
    perSubscription(
      'memory per subscription, 100,000 in the issue-2 mix',
      flat(createPatterns(100_000)),
      "the routing workload's patterns",
    ),
    perSubscription(
      'memory per subscription, 10,000 RPC reply topics',
      uuids(10_000),
      '`rpc.reply.<uuid>`, a fresh UUID each',
    ),
    perSubscription(
      'memory per subscription, 100,000 RPC reply topics',
      uuids(100_000),
      '`rpc.reply.<uuid>`, a fresh UUID each',
    ),
    afterDistinctTopics(),
    afterReplyTopics(),
  ];
}
