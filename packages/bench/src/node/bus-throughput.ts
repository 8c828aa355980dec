import { createPubSub } from '@switchboard/bus';
import mitt from 'mitt';
import { compareThroughput, type Contender, type Throughput } from '../harness/measure.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatRate } from '../harness/stats.ts';

const TOPIC = 'orders.created';
// A typical small event: the bus's default payload check walks it, as it would in an app.
const PAYLOAD = { id: 'o-42', qty: 3, sku: 'ab-1' };

/** Publish→deliver throughput on one exact topic, against mitt's emit (issue 2). */
export function benchBusThroughput(): BenchResult[] {
  const exact = fanOut(1, 1_000_000, 0.3, 'exact topic, 1 subscriber: publish→deliver');
  return [exact, fanOut(100, 100_000, 0.5, 'fan-out to 100 subscribers: publish→deliver'), twoBuses(exact.ratio!)];
}

/**
 * The exact-topic publish with two buses in one process publishing in turn, as when several MFEs
 * share one copy of the library: both must keep the one-bus speed (a bus whose code is compiled
 * per instance slows down as soon as a second instance runs). Shown beside the one-bus row,
 * against mitt in the same rounds.
 */
function twoBuses(oneBusRatio: number): BenchResult {
  const name = 'exact topic, two buses publishing in turn';
  const publishes = 1_000_000;
  const buses = [createPubSub({ app: 'bench-a' }), createPubSub({ app: 'bench-b' })];
  let busCalls = 0;
  for (const bus of buses) {
    bus.subscribe(TOPIC, () => {
      busCalls++;
    });
  }
  const { ours, theirs } = versusMitt(
    name,
    {
      label: 'switchboard, two buses',
      round() {
        const before = busCalls;
        for (let i = 0; i < publishes / 2; i++) {
          buses[0]!.publish(TOPIC, PAYLOAD);
          buses[1]!.publish(TOPIC, PAYLOAD);
        }
        check(
          busCalls - before === publishes,
          `${name}: the buses called ${busCalls - before} handlers, expected ${publishes}.`,
        );
        return publishes;
      },
    },
    1,
    publishes,
  );
  for (const bus of buses) bus.dispose();
  return {
    ...mittRow(name, ours, theirs),
    goal: '— (context)',
    met: undefined,
    note: `${roundsNote(publishes)} (alternating buses); one bus, same process: ${oneBusRatio.toPrecision(3)}x mitt`,
  };
}

function fanOut(subscribers: number, publishes: number, goal: number, name: string): BenchResult {
  const bus = createPubSub({ app: 'bench' }); // defaults: payload checks on
  let busCalls = 0;
  for (let i = 0; i < subscribers; i++) {
    bus.subscribe(TOPIC, () => {
      busCalls++;
    });
  }
  const { ours, theirs } = versusMitt(
    name,
    {
      label: 'switchboard',
      round() {
        const before = busCalls;
        for (let i = 0; i < publishes; i++) bus.publish(TOPIC, PAYLOAD);
        check(
          busCalls - before === publishes * subscribers,
          `${name}: the bus called ${busCalls - before} handlers, expected ${publishes * subscribers}.`,
        );
        return publishes;
      },
    },
    subscribers,
    publishes,
  );
  bus.dispose();
  const row = mittRow(name, ours, theirs);
  return { ...row, goal: `>= ${goal}x mitt`, met: row.ratio >= goal, note: roundsNote(publishes) };
}

function roundsNote(publishes: number): string {
  return `median of 7 interleaved rounds of ${publishes.toLocaleString('en')} publishes after 2 warm-up rounds`;
}

/** Times `switchboard` against mitt emitting `publishes` times a round to `subscribers` handlers. */
function versusMitt(
  name: string,
  switchboard: Contender,
  subscribers: number,
  publishes: number,
): { ours: Throughput; theirs: Throughput } {
  const emitter = mitt<Record<string, typeof PAYLOAD>>();
  let mittCalls = 0;
  for (let i = 0; i < subscribers; i++) {
    emitter.on(TOPIC, () => {
      mittCalls++;
    });
  }
  const [ours, theirs] = compareThroughput(
    [
      switchboard,
      {
        label: 'mitt',
        round() {
          const before = mittCalls;
          for (let i = 0; i < publishes; i++) emitter.emit(TOPIC, PAYLOAD);
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
