import { randomUUID } from 'node:crypto';
import { createPubSub, type PubSubBus } from '@switchboard/bus';
import { Qlobber } from 'qlobber';
import { compareThroughput } from '../harness/measure.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatRate } from '../harness/stats.ts';
import { createPatterns, createTopics } from './workload.ts';

const RESIDENT = 10_000;
const PAIRS = 20_000;
const PUBLISHES = 200_000;
const HOT_TOPICS = 200;
const PAYLOAD = { n: 1 };
const handler = (): void => {};

interface Shape {
  readonly name: string;
  readonly goalNote: string;
  /** The patterns of one round, one per pair. */
  patterns(round: number): string[];
  /** A topic one of those patterns matches, to check that a subscription of it really is made. */
  topicOf(pattern: string): string;
}

const SHAPES: readonly Shape[] = [
  {
    name: 'a new per-entity pattern (`orders.<id>.#`)',
    goalNote: 'each pair a pattern no subscription had: `orders.e<n>.#`',
    patterns: (round) => Array.from({ length: PAIRS }, (_, i) => ['orders', `e${round}x${i}`, '#'].join('.')),
    topicOf: (pattern) => pattern.replace('#', 'updated'),
  },
  {
    name: 'an RPC reply topic with a UUID',
    goalNote: 'each pair `rpc.reply.<uuid>`, a fresh UUID',
    patterns: () => Array.from({ length: PAIRS }, () => ['rpc', 'reply', randomUUID()].join('.')),
    topicOf: (pattern) => pattern,
  },
  {
    name: 'a pattern holding 100 handlers',
    goalNote: 'each pair on `orders.+.created`, which 100 resident subscriptions hold',
    patterns: () => new Array<string>(PAIRS).fill('orders.+.created'),
    topicOf: () => 'orders.o1.created',
  },
  {
    name: 'a pattern holding 1,000 handlers',
    goalNote: 'each pair on `cart.+.updated`, which 1,000 resident subscriptions hold',
    patterns: () => new Array<string>(PAIRS).fill('cart.+.updated'),
    topicOf: () => 'cart.c1.updated',
  },
];

function residents(): string[] {
  const patterns = createPatterns(RESIDENT);
  for (let i = 0; i < 100; i++) patterns.push('orders.+.created');
  for (let i = 0; i < 1_000; i++) patterns.push('cart.+.updated');
  return patterns;
}

function createQlobber(): Qlobber<() => void> {
  return new Qlobber<() => void>({ separator: '.', wildcard_one: '+', wildcard_some: '#' });
}

/** Subscribing makes a subscription that delivers, and unsubscribing ends it: checked on a few pairs. */
function checkPairs(bus: PubSubBus, shape: Shape, patterns: readonly string[]): void {
  for (const pattern of patterns.slice(0, 5)) {
    let calls = 0;
    const off = bus.subscribe(pattern, () => {
      calls++;
    });
    bus.publish(shape.topicOf(pattern), PAYLOAD);
    off();
    bus.publish(shape.topicOf(pattern), PAYLOAD);
    check(calls === 1, `churn (${shape.name}): a subscription of '${pattern}' got ${calls} messages, expected 1.`);
  }
}

function pairs(shape: Shape): BenchResult {
  const resident = residents();
  const bus = createPubSub({ app: 'bench' });
  const qlobber = createQlobber();
  for (const pattern of resident) {
    bus.subscribe(pattern, handler);
    qlobber.add(pattern, handler);
  }
  const before = bus.stats().subscriptions;
  // Every contender's round takes fresh patterns, made before timing.
  const busPatterns: string[][] = [];
  const qlobberPatterns: string[][] = [];
  for (let round = 0; round < 8; round++) {
    busPatterns.push(shape.patterns(2 * round));
    qlobberPatterns.push(shape.patterns(2 * round + 1));
  }
  let busRound = 0;
  let qlobberRound = 0;
  const [ours, theirs] = compareThroughput(
    [
      {
        label: 'switchboard subscribe + unsubscribe',
        round() {
          const patterns = busPatterns[busRound++]!;
          for (let i = 0; i < patterns.length; i++) bus.subscribe(patterns[i]!, handler)();
          return patterns.length;
        },
      },
      {
        label: 'qlobber add + remove',
        round() {
          const patterns = qlobberPatterns[qlobberRound++]!;
          for (let i = 0; i < patterns.length; i++) {
            qlobber.add(patterns[i]!, handler);
            qlobber.remove(patterns[i]!, handler);
          }
          return patterns.length;
        },
      },
    ],
    { warmup: 1, rounds: 7, time: 'cpu' },
  );
  check(
    bus.stats().subscriptions === before,
    `churn (${shape.name}): ${bus.stats().subscriptions} subscriptions after the rounds, expected ${before}.`,
  );
  checkPairs(bus, shape, shape.patterns(99));
  bus.dispose();
  const ratio = ours!.perSecond / theirs!.perSecond;
  return {
    issue: 23,
    name: `churn, 10,000 resident: subscribe + unsubscribe ${shape.name}`,
    figure: `${formatRate(ours!.perSecond)} pairs`,
    reference: `qlobber add + remove ${formatRate(theirs!.perSecond)}`,
    ratio,
    goal: '>= 1.0x qlobber',
    met: ratio >= 1,
    note:
      `${shape.goalNote}; ${RESIDENT.toLocaleString('en')} resident subscriptions in the issue-2 mix (and the 1,100 ` +
      `of the two crowded patterns) in both; median of 7 interleaved rounds of ${PAIRS.toLocaleString('en')} ` +
      "pairs after 1 warm-up, timed in the process's CPU time; the bus returns to its resident count, and a pair checked to deliver while subscribed",
  };
}

/**
 * Publishing to a hot set of topics while subscriptions come and go: one subscribe and one
 * unsubscribe per 10 publishes (a per-entity pattern and a reply topic in turn), against qlobber
 * matching the same topics and adding and removing the same patterns.
 */
function publishingWithChurn(): BenchResult {
  const resident = createPatterns(RESIDENT);
  const hot = createTopics(HOT_TOPICS, 9);
  const churn = Array.from({ length: PUBLISHES / 10 }, (_, i) =>
    i % 2 === 0 ? ['orders', `e${i}`, '#'].join('.') : ['rpc', 'reply', randomUUID()].join('.'),
  );
  const bus = createPubSub({ app: 'bench' });
  const quiet = createPubSub({ app: 'bench-quiet' });
  const qlobber = createQlobber();
  let hits = 0;
  const count = (): void => {
    hits++;
  };
  for (const pattern of resident) {
    bus.subscribe(pattern, count);
    quiet.subscribe(pattern, count);
    qlobber.add(pattern, count);
  }
  let expected = 0;
  for (let i = 0; i < PUBLISHES; i++) expected += qlobber.match(hot[i % HOT_TOPICS]!).length;
  const [ours, theirs, still] = compareThroughput(
    [
      {
        label: 'switchboard with churn',
        round() {
          const before = hits;
          let off: (() => void) | undefined;
          for (let i = 0; i < PUBLISHES; i++) {
            if (i % 10 === 0) {
              off?.();
              off = bus.subscribe(churn[i / 10]!, count);
            }
            bus.publish(hot[i % HOT_TOPICS]!, PAYLOAD);
          }
          off?.();
          check(
            hits - before === expected,
            `publishing with churn: the bus called ${hits - before} handlers, expected ${expected}.`,
          );
          return PUBLISHES;
        },
      },
      {
        label: 'qlobber with churn',
        round() {
          let total = 0;
          let last: string | undefined;
          for (let i = 0; i < PUBLISHES; i++) {
            if (i % 10 === 0) {
              if (last !== undefined) qlobber.remove(last, count);
              last = churn[i / 10]!;
              qlobber.add(last, count);
            }
            total += qlobber.match(hot[i % HOT_TOPICS]!).length;
          }
          if (last !== undefined) qlobber.remove(last, count);
          check(total === expected, `publishing with churn: qlobber matched ${total}, expected ${expected}.`);
          return PUBLISHES;
        },
      },
      {
        label: 'switchboard without churn',
        round() {
          for (let i = 0; i < PUBLISHES; i++) quiet.publish(hot[i % HOT_TOPICS]!, PAYLOAD);
          return PUBLISHES;
        },
      },
    ],
    { warmup: 1, rounds: 7, time: 'cpu' },
  );
  bus.dispose();
  quiet.dispose();
  const ratio = ours!.perSecond / theirs!.perSecond;
  return {
    issue: 23,
    name: 'publishing to a hot set with one subscribe and one unsubscribe per 10 publishes',
    figure: `${formatRate(ours!.perSecond)} publishes`,
    reference: `qlobber match + add/remove ${formatRate(theirs!.perSecond)}`,
    ratio,
    goal: '>= 1.5x qlobber',
    met: ratio >= 1.5,
    note:
      `${HOT_TOPICS} hot topics of the issue-2 workload in turn, ${RESIDENT.toLocaleString('en')} resident ` +
      'subscriptions; every 10th publish the churn subscription is replaced by a new one (a per-entity ' +
      '`orders.e<n>.#` and an `rpc.reply.<uuid>` in turn); hit totals checked every round; median of 7 ' +
      `interleaved rounds of ${PUBLISHES.toLocaleString('en')} publishes after 1 warm-up, timed in CPU time. The same bus ` +
      `without churn: ${formatRate(still!.perSecond)} (${(ours!.perSecond / still!.perSecond).toPrecision(3)}x of it with churn)`,
  };
}

/** Subscription churn with 10,000 subscriptions resident, against qlobber's add and remove. */
export function benchChurn(): BenchResult[] {
  return [...SHAPES.map(pairs), publishingWithChurn()];
}
