import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { Qlobber } from 'qlobber';
import { compareThroughput, type Contender, type Throughput } from '../harness/measure.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatRate } from '../harness/stats.ts';
import { createDeepWorkload, createScaledWorkload, type ScaledWorkload } from './workload.ts';

const TOPICS = 500_000;
const PAYLOAD = { n: 1 };
// Per-topic comparison of who matched, on a sample: equal totals alone could hide two errors
// that cancel out.
const SAMPLE = 2_000;
const SIZES = [100, 1_000, 10_000, 100_000];
const DEPTH = 32;
const DEPTH_SUBSCRIPTIONS = 10_000;

interface Router {
  readonly bus: PubSubBus;
  readonly qlobber: Qlobber<number>;
  hits: number;
}

function createRouter(patterns: readonly string[]): Router {
  const router: Router = {
    bus: createPubSub({ app: 'bench' }), // defaults: payload checks and the 1024-topic cache
    qlobber: new Qlobber<number>({ separator: '.', wildcard_one: '+', wildcard_some: '#' }),
    hits: 0,
  };
  const handler = (): void => {
    router.hits++;
  };
  patterns.forEach((pattern, index) => {
    router.bus.subscribe(pattern, handler);
    router.qlobber.add(pattern, index);
  });
  return router;
}

/** Sums qlobber's match lengths: the hit total the bus must reproduce. */
function qlobberHits(router: Router, topics: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < topics.length; i++) total += router.qlobber.match(topics[i]!).length;
  return total;
}

/** Same subscriptions, same topics: the bus must call exactly the handlers qlobber names. */
function checkSample(patterns: readonly string[], topics: readonly string[], label: string): void {
  const bus = createPubSub({ app: 'bench-check' });
  const qlobber = new Qlobber<number>({ separator: '.', wildcard_one: '+', wildcard_some: '#' });
  let called: number[] = [];
  patterns.forEach((pattern, index) => {
    bus.subscribe(pattern, () => {
      called.push(index);
    });
    qlobber.add(pattern, index);
  });
  for (let i = 0; i < Math.min(SAMPLE, topics.length); i++) {
    const topic = topics[i]!;
    called = [];
    bus.publish(topic, PAYLOAD);
    const expected = qlobber.match(topic).sort((a, b) => a - b);
    const got = called.sort((a, b) => a - b);
    check(
      expected.length === got.length && expected.every((value, k) => value === got[k]),
      `routing (${label}): '${topic}' reached subscriptions [${got.join(',')}], qlobber matched [${expected.join(',')}].`,
    );
  }
  bus.dispose();
}

interface Measured {
  readonly label: string;
  readonly bus: Throughput;
  readonly qlobber: Throughput;
  readonly hits: number;
}

/**
 * One workload: the bus's publish (match and deliver) against qlobber's `match` alone over the
 * same topics, in interleaved rounds; hit totals must equal qlobber's every round.
 */
function measure(label: string, workload: ScaledWorkload): Measured {
  const { topics, patterns } = workload;
  const router = createRouter(patterns);
  const hits = qlobberHits(router, topics);
  const [bus, qlobber] = compareThroughput(
    [
      {
        label: `switchboard, ${label}`,
        round() {
          const before = router.hits;
          for (let i = 0; i < topics.length; i++) router.bus.publish(topics[i]!, PAYLOAD);
          const got = router.hits - before;
          check(got === hits, `routing (${label}): the bus called ${got} handlers, qlobber matched ${hits}.`);
          return topics.length;
        },
      } satisfies Contender,
      {
        label: `qlobber, ${label}`,
        round() {
          check(qlobberHits(router, topics) === hits, `routing (${label}): qlobber matched a different total.`);
          return topics.length;
        },
      },
    ],
    { warmup: 1, rounds: 5, time: 'cpu' },
  );
  router.bus.dispose();
  // After timing: its recording handlers would otherwise share the bus's call sites with the
  // timed ones and skew the figures (V8 keeps one type feedback for every bus instance).
  checkSample(patterns, topics, label);
  return { label, bus: bus!, qlobber: qlobber!, hits };
}

const ROUNDS = `median of 5 interleaved rounds of ${TOPICS.toLocaleString('en')} topics after 1 warm-up round, timed in the process's CPU time`;

function row(measured: Measured, name: string, workload: string): BenchResult {
  const ratio = measured.bus.perSecond / measured.qlobber.perSecond;
  return {
    issue: 23,
    name,
    figure: `${formatRate(measured.bus.perSecond)} topics`,
    reference: `qlobber match alone ${formatRate(measured.qlobber.perSecond)}`,
    ratio,
    goal: '>= 2x qlobber, same hits',
    met: ratio >= 2,
    note:
      `${workload}; ${ROUNDS}; ${(measured.hits / TOPICS).toFixed(2)} hits per topic, totals equal ` +
      `qlobber's (checked every round, and per topic on ${SAMPLE.toLocaleString('en')} topics)`,
  };
}

/**
 * Match-and-deliver against qlobber's `match` alone at 100 to 100,000 subscriptions with hits per
 * topic held about constant (the domains grow with the subscriptions), and at the deepest topics
 * allowed. Hit totals must equal qlobber's, or the run fails.
 */
export function benchRouting(): BenchResult[] {
  const bySize = SIZES.map((size) => {
    const measured = measure(`${size.toLocaleString('en')} subscriptions`, createScaledWorkload(size, TOPICS));
    return { size, measured };
  });
  const deep = measure(`depth ${DEPTH}`, createDeepWorkload(DEPTH_SUBSCRIPTIONS, TOPICS, DEPTH));
  const rows = bySize.map(({ size, measured }) =>
    row(
      measured,
      `routing, ${size.toLocaleString('en')} subscriptions: match + deliver`,
      `topics domain.id.action[.detail] over ${Math.max(1, size / 100)} domain(s), subscriptions in the issue-2 mix`,
    ),
  );
  rows.push(
    row(
      deep,
      `routing, topics ${DEPTH} segments deep (${DEPTH_SUBSCRIPTIONS.toLocaleString('en')} subscriptions)`,
      `topics of ${DEPTH} segments (a domain, then one of 4 words per position), patterns in the same mix`,
    ),
  );
  const smallest = bySize[0]!.measured;
  const largest = bySize[bySize.length - 1]!.measured;
  rows.push({
    issue: 23,
    name: `routing scale: ${SIZES[SIZES.length - 1]!.toLocaleString('en')} vs ${SIZES[0]!.toLocaleString('en')} subscriptions, same hits per topic`,
    figure: `${formatRate(largest.bus.perSecond)} topics`,
    reference: `${SIZES[0]!.toLocaleString('en')} subscriptions ${formatRate(smallest.bus.perSecond)}`,
    ratio: largest.bus.perSecond / smallest.bus.perSecond,
    goal: '— (context)',
    met: undefined,
    note:
      `the bus's throughput at the largest size over the smallest, from the rows above (qlobber: ` +
      `${(largest.qlobber.perSecond / smallest.qlobber.perSecond).toPrecision(3)}x)`,
  });
  return rows;
}
