import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { Qlobber } from 'qlobber';
import { compareThroughput, type Contender } from '../harness/measure.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatRate } from '../harness/stats.ts';
import { createPatterns, createTopics } from './workload.ts';

const TOPICS = 1_000_000;
const PAYLOAD = { n: 1 };
// Per-topic comparison of who matched, on a sample: equal totals alone could hide two errors
// that cancel out.
const SAMPLE = 2_000;

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

function busContender(label: string, router: Router, topics: readonly string[], expectedHits: number): Contender {
  return {
    label,
    round() {
      const before = router.hits;
      for (let i = 0; i < topics.length; i++) router.bus.publish(topics[i]!, PAYLOAD);
      const hits = router.hits - before;
      check(
        hits === expectedHits,
        `routing (${label}): the bus called ${hits} handlers for ${topics.length} topics, qlobber matched ${expectedHits}.`,
      );
      return topics.length;
    },
  };
}

/**
 * Match-and-deliver over 1,000,000 topics with 10,000 and with 100 subscriptions, against
 * qlobber's match alone (issue 2). Hit totals must equal qlobber's, or the run fails.
 */
export function benchRouting(): BenchResult[] {
  const topics = createTopics(TOPICS);
  const large = createPatterns(10_000);
  const small = createPatterns(100);
  const big = createRouter(large);
  const little = createRouter(small);
  const bigHits = qlobberHits(big, topics);
  const littleHits = qlobberHits(little, topics);
  const [bus10k, qlobber10k, bus100] = compareThroughput(
    [
      busContender('switchboard, 10,000 subscriptions', big, topics, bigHits),
      {
        label: 'qlobber match, 10,000 subscriptions',
        round() {
          check(qlobberHits(big, topics) === bigHits, 'routing: qlobber matched a different total on a later round.');
          return topics.length;
        },
      },
      busContender('switchboard, 100 subscriptions', little, topics, littleHits),
    ],
    { warmup: 1, rounds: 5 },
  );
  big.bus.dispose();
  little.bus.dispose();
  // After timing: its recording handlers would otherwise share the bus's call sites with the
  // timed ones and skew the figures (V8 keeps one type feedback for every bus instance).
  checkSample(large, topics, '10,000 subscriptions');
  checkSample(small, topics, '100 subscriptions');
  const vsQlobber = bus10k!.perSecond / qlobber10k!.perSecond;
  const vsSmall = bus10k!.perSecond / bus100!.perSecond;
  const rounds = 'median of 5 interleaved rounds of 1,000,000 topics after 1 warm-up round';
  return [
    {
      issue: 2,
      name: 'routing, 10,000 subscriptions: match + deliver',
      figure: `${formatRate(bus10k!.perSecond)} topics`,
      reference: `qlobber match alone ${formatRate(qlobber10k!.perSecond)}`,
      ratio: vsQlobber,
      goal: '>= 2x qlobber, same hits',
      met: vsQlobber >= 2,
      note: `${rounds}; hits per round ${bigHits.toLocaleString('en')} = qlobber's (checked every round, and per topic on ${SAMPLE.toLocaleString('en')} topics)`,
    },
    {
      issue: 2,
      name: 'routing, 10,000 vs 100 subscriptions',
      figure: `${formatRate(bus10k!.perSecond)} topics`,
      reference: `100 subscriptions ${formatRate(bus100!.perSecond)}`,
      ratio: vsSmall,
      goal: '>= 1/3 of 100-subscription throughput',
      met: vsSmall >= 1 / 3,
      note: `${rounds}; hits per round ${bigHits.toLocaleString('en')} vs ${littleHits.toLocaleString('en')}`,
    },
  ];
}
