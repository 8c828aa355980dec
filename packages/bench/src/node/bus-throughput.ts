import { createPubSub } from '@switchboard/bus';
import mitt from 'mitt';
import { compareThroughput, type Contender } from '../harness/measure.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatRate } from '../harness/stats.ts';

const TOPIC = 'orders.created';
// A typical small event: the bus's default payload check walks it, as it would in an app.
const PAYLOAD = { id: 'o-42', qty: 3, sku: 'ab-1' };

/** Publish→deliver throughput on one exact topic, against mitt's emit (issue 2). */
export function benchBusThroughput(): BenchResult[] {
  const exact = fanOut(1, 1_000_000, 0.3, 'exact topic, 1 subscriber: publish→deliver');
  return [
    exact,
    fanOut(100, 100_000, 0.5, 'fan-out to 100 subscribers: publish→deliver'),
    twoBuses(exact.ratio!),
  ];
}

/**
 * The exact-topic publish with two buses in one process publishing in turn, as when several MFEs
 * share one copy of the library: both must keep the one-bus speed (a bus whose code is compiled
 * per instance slows down as soon as a second instance runs). Shown beside the one-bus row,
 * against mitt in the same rounds.
 */
function twoBuses(oneBusRatio: number): BenchResult {
  const PUBLISHES = 500_000;
  const buses = [createPubSub({ app: 'bench-a' }), createPubSub({ app: 'bench-b' })];
  const emitter = mitt<Record<string, typeof PAYLOAD>>();
  let busCalls = 0;
  let mittCalls = 0;
  for (const bus of buses) {
    bus.subscribe(TOPIC, () => {
      busCalls++;
    });
  }
  emitter.on(TOPIC, () => {
    mittCalls++;
  });
  const [ours, theirs] = compareThroughput([
    {
      label: 'switchboard, two buses',
      round() {
        const before = busCalls;
        for (let i = 0; i < PUBLISHES; i++) {
          buses[0]!.publish(TOPIC, PAYLOAD);
          buses[1]!.publish(TOPIC, PAYLOAD);
        }
        check(busCalls - before === PUBLISHES * 2, `two buses: the buses called ${busCalls - before} handlers, expected ${PUBLISHES * 2}.`);
        return PUBLISHES * 2;
      },
    },
    {
      label: 'mitt',
      round() {
        const before = mittCalls;
        for (let i = 0; i < PUBLISHES * 2; i++) emitter.emit(TOPIC, PAYLOAD);
        check(mittCalls - before === PUBLISHES * 2, `two buses: mitt called ${mittCalls - before} handlers, expected ${PUBLISHES * 2}.`);
        return PUBLISHES * 2;
      },
    },
  ], { warmup: 2, rounds: 7 });
  for (const bus of buses) bus.dispose();
  const ratio = ours!.perSecond / theirs!.perSecond;
  return {
    issue: 2,
    name: 'exact topic, two buses publishing in turn',
    figure: `${formatRate(ours!.perSecond)} publishes`,
    reference: `mitt emit ${formatRate(theirs!.perSecond)}`,
    ratio,
    goal: '— (context)',
    met: undefined,
    note: `median of 7 interleaved rounds of ${(PUBLISHES * 2).toLocaleString('en')} publishes (alternating buses) after 2 warm-up rounds; one bus, same process: ${oneBusRatio.toPrecision(3)}x mitt`,
  };
}

function fanOut(subscribers: number, publishes: number, goal: number, name: string): BenchResult {
  const bus = createPubSub({ app: 'bench' }); // defaults: payload checks on
  const emitter = mitt<Record<string, typeof PAYLOAD>>();
  let busCalls = 0;
  let mittCalls = 0;
  for (let i = 0; i < subscribers; i++) {
    bus.subscribe(TOPIC, () => {
      busCalls++;
    });
    emitter.on(TOPIC, () => {
      mittCalls++;
    });
  }
  const contenders: Contender[] = [
    {
      label: 'switchboard',
      round() {
        const before = busCalls;
        for (let i = 0; i < publishes; i++) bus.publish(TOPIC, PAYLOAD);
        check(busCalls - before === publishes * subscribers,
          `${name}: the bus called ${busCalls - before} handlers, expected ${publishes * subscribers}.`);
        return publishes;
      },
    },
    {
      label: 'mitt',
      round() {
        const before = mittCalls;
        for (let i = 0; i < publishes; i++) emitter.emit(TOPIC, PAYLOAD);
        check(mittCalls - before === publishes * subscribers,
          `${name}: mitt called ${mittCalls - before} handlers, expected ${publishes * subscribers}.`);
        return publishes;
      },
    },
  ];
  const [ours, theirs] = compareThroughput(contenders, { warmup: 2, rounds: 7 });
  bus.dispose();
  const ratio = ours!.perSecond / theirs!.perSecond;
  return {
    issue: 2,
    name,
    figure: `${formatRate(ours!.perSecond)} publishes`,
    reference: `mitt emit ${formatRate(theirs!.perSecond)}`,
    ratio,
    goal: `>= ${goal}x mitt`,
    met: ratio >= goal,
    note: `median of 7 interleaved rounds of ${publishes.toLocaleString('en')} publishes after 2 warm-up rounds`,
  };
}
