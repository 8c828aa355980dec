/** What the bus (or one of its packages) achieved, beside what it was measured against. */
export interface BenchResult {
  /** The issue whose goal this checks. */
  readonly issue: number;
  readonly name: string;
  /** Switchboard's figure, formatted with its unit. */
  readonly figure: string;
  /** The peer or limit measured or stated in the same run, formatted with its unit. */
  readonly reference: string;
  /** Switchboard's figure divided by the reference; undefined when the goal is an absolute bound. */
  readonly ratio: number | undefined;
  /** The goal as the issue states it ('—' for a peer shown for context only). */
  readonly goal: string;
  /** Undefined for a row without a goal (a peer measured for context). */
  readonly met: boolean | undefined;
  /** Anything a reader needs to trust the figure (sample size, hit totals, rounds). */
  readonly note?: string;
}

/** A benchmark group failed to run (crash, correctness check): the runner exits non-zero. */
export class BenchFailure extends Error {
  override readonly name = 'BenchFailure';
}

/** Throws a {@link BenchFailure} unless `condition` holds: correctness checks must fail loudly. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new BenchFailure(message);
}
