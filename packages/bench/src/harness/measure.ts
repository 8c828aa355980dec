import { median } from './stats.ts';

/** One side of a comparison: runs `ops` operations and returns how many it really ran. */
export interface Contender {
  readonly label: string;
  /** Runs one round; the harness times it. Returns the number of operations done. */
  round(): number;
}

/** Options of {@link compareThroughput}. */
export interface CompareOptions {
  /** Untimed rounds per contender first, so both run optimised code when timing starts. @default 2 */
  warmup?: number;
  /** Timed rounds per contender; the median is reported. @default 7 */
  rounds?: number;
  /**
   * What a round's time is: `'wall'` (elapsed) or `'cpu'` (this process's user and system time,
   * so time spent waiting while other work holds the shared cores is not counted; use it for
   * single-threaded loops only).
   * @default 'wall'
   */
  time?: 'wall' | 'cpu';
}

/** Median throughput of each contender, in operations per second, and every round's figure. */
export interface Throughput {
  readonly label: string;
  readonly perSecond: number;
  readonly samples: readonly number[];
}

/**
 * Times contenders in interleaved rounds (A, B, A, B…) so that a slow patch of the machine (GC of
 * another process, CPU frequency) hurts both alike instead of whichever happened to run then.
 */
export function compareThroughput(contenders: readonly Contender[], options: CompareOptions = {}): Throughput[] {
  const warmup = options.warmup ?? 2;
  const rounds = options.rounds ?? 7;
  const now = options.time === 'cpu' ? cpuSeconds : wallSeconds;
  for (let i = 0; i < warmup; i++) for (const contender of contenders) contender.round();
  const samples = contenders.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) {
    contenders.forEach((contender, index) => {
      const start = now();
      const ops = contender.round();
      const seconds = now() - start;
      samples[index]!.push(ops / seconds);
    });
  }
  return contenders.map((contender, index) => ({
    label: contender.label,
    perSecond: median(samples[index]!),
    samples: samples[index]!,
  }));
}

function wallSeconds(): number {
  return performance.now() / 1000;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
