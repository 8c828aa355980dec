import { createPubSub } from '@switchboard/bus';
import mitt from 'mitt';
import { compareThroughput, type Contender, type Throughput } from '../harness/measure.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatRate } from '../harness/stats.ts';

const TOPIC = 'orders.created';
// A typical small event: the bus's default payload check walks it, as it would in an app.
const PAYLOAD = { id: 'o-42', qty: 3, sku: 'ab-1' };
const VERBS = ['created', 'updated', 'deleted', 'viewed', 'shipped', 'paid', 'failed', 'synced', 'opened', 'closed'];
const NOUNS = ['orders', 'cart', 'users', 'billing', 'catalog', 'search', 'auth', 'notify', 'stock', 'review'];
/** 200 exact topics (`orders.created`, `cart.item2-paid`…), published in turn. */
const ROTATING = Array.from({ length: 200 }, (_, i) => {
  const noun = NOUNS[i % NOUNS.length]!;
  const verb = VERBS[Math.floor(i / NOUNS.length) % VERBS.length]!;
  return i < 100 ? `${noun}.${verb}` : `${noun}.item${Math.floor(i / 100)}-${verb}`;
});

/**
 * Publish→deliver throughput on exact topics, against mitt's emit: 200 topics in turn, one
 * subscriber each (the goal), and one topic over and over, and fan-out to 100 subscribers.
 */
export function benchBusThroughput(): BenchResult[] {
  const rotating = {
    ...fanOut(ROTATING, 1, 1_000_000, 0.3, 'exact topics, 200 in turn, 1 subscriber each'),
    issue: 23,
  };
  return [
    rotating,
    fanOut([TOPIC], 1, 1_000_000, undefined, 'exact topic, 1 subscriber, the same topic every time'),
    fanOut([TOPIC], 100, 100_000, 0.5, 'fan-out to 100 subscribers: publish→deliver'),
    twoBuses(rotating.ratio!),
  ];
}

/**
 * The exact-topic publish with two buses in one process publishing in turn, as when several MFEs
 * share one copy of the library: both must keep the one-bus speed (a bus whose code is compiled
 * per instance slows down as soon as a second instance runs). Shown beside the one-bus row,
 * against mitt in the same rounds.
 */
function twoBuses(oneBusRatio: number): BenchResult {
  const name = 'exact topics, 200 in turn, two buses publishing in turn';
  const publishes = 1_000_000;
  const buses = [createPubSub({ app: 'bench-a' }), createPubSub({ app: 'bench-b' })];
  let busCalls = 0;
  for (const bus of buses) {
    for (const topic of ROTATING) {
      bus.subscribe(topic, () => {
        busCalls++;
      });
    }
  }
  const { ours, theirs } = versusMitt(
    name,
    {
      label: 'switchboard, two buses',
      round() {
        const before = busCalls;
        for (let i = 0; i < publishes / 2; i++) {
          const topic = ROTATING[i % ROTATING.length]!;
          buses[0]!.publish(topic, PAYLOAD);
          buses[1]!.publish(topic, PAYLOAD);
        }
        check(
          busCalls - before === publishes,
          `${name}: the buses called ${busCalls - before} handlers, expected ${publishes}.`,
        );
        return publishes;
      },
    },
    ROTATING,
    1,
    publishes,
  );
  for (const bus of buses) bus.dispose();
  return {
    ...mittRow(name, ours, theirs),
    goal: '— (context)',
    met: undefined,
    note: `${roundsNote(publishes)} (alternating buses, topics in turn from 200 exact ones); one bus, same process: ${oneBusRatio.toPrecision(3)}x mitt`,
  };
}

function fanOut(
  topics: readonly string[],
  subscribers: number,
  publishes: number,
  goal: number | undefined,
  name: string,
): BenchResult {
  const bus = createPubSub({ app: 'bench' }); // defaults: payload checks on
  let busCalls = 0;
  for (const topic of topics) {
    for (let i = 0; i < subscribers; i++) {
      bus.subscribe(topic, () => {
        busCalls++;
      });
    }
  }
  const { ours, theirs } = versusMitt(
    name,
    {
      label: 'switchboard',
      round() {
        const before = busCalls;
        for (let i = 0; i < publishes; i++) bus.publish(topics[i % topics.length]!, PAYLOAD);
        check(
          busCalls - before === publishes * subscribers,
          `${name}: the bus called ${busCalls - before} handlers, expected ${publishes * subscribers}.`,
        );
        return publishes;
      },
    },
    topics,
    subscribers,
    publishes,
  );
  bus.dispose();
  const row = mittRow(name, ours, theirs);
  const note = `${roundsNote(publishes)}${topics.length > 1 ? `; topics in turn from ${topics.length} exact ones, each with its subscribers, for both` : ''}`;
  if (goal === undefined) return { ...row, goal: '— (context)', met: undefined, note };
  return { ...row, goal: `>= ${goal}x mitt`, met: row.ratio >= goal, note };
}

function roundsNote(publishes: number): string {
  return `median of 7 interleaved rounds of ${publishes.toLocaleString('en')} publishes after 2 warm-up rounds`;
}

/** Times `switchboard` against mitt emitting `publishes` times a round to `subscribers` handlers. */
function versusMitt(
  name: string,
  switchboard: Contender,
  topics: readonly string[],
  subscribers: number,
  publishes: number,
): { ours: Throughput; theirs: Throughput } {
  const emitter = mitt<Record<string, typeof PAYLOAD>>();
  let mittCalls = 0;
  for (const topic of topics) {
    for (let i = 0; i < subscribers; i++) {
      emitter.on(topic, () => {
        mittCalls++;
      });
    }
  }
  const [ours, theirs] = compareThroughput(
    [
      switchboard,
      {
        label: 'mitt',
        round() {
          const before = mittCalls;
          for (let i = 0; i < publishes; i++) emitter.emit(topics[i % topics.length]!, PAYLOAD);
          check(
            mittCalls - before === publishes * subscribers,
            `${name}: mitt called ${mittCalls - before} handlers, expected ${publishes * subscribers}.`,
          );
          return publishes;
        },
      },
    ],
    { warmup: 2, rounds: 7 },
  );
  return { ours: ours!, theirs: theirs! };
}

/** The columns every row against mitt shares. */
function mittRow(
  name: string,
  ours: Throughput,
  theirs: Throughput,
): Pick<BenchResult, 'issue' | 'name' | 'figure' | 'reference'> & { ratio: number } {
  return {
    issue: 2,
    name,
    figure: `${formatRate(ours.perSecond)} publishes`,
    reference: `mitt emit ${formatRate(theirs.perSecond)}`,
    ratio: ours.perSecond / theirs.perSecond,
  };
}
