import { describe, expect, it } from 'vitest';
import { medianRows } from '../src/harness/median-rows.ts';
import type { BenchResult } from '../src/harness/result.ts';

function row(name: string, ratio: number | undefined, met: boolean | undefined): BenchResult {
  return { issue: 1, name, figure: `${ratio}`, reference: 'peer', ratio, goal: '>= 1.0x', met };
}

describe('medianRows', () => {
  it('keeps the run whose ratio is the median, with every run named in the note', () => {
    const [merged] = medianRows([[row('a', 0.9, false)], [row('a', 1.4, true)], [row('a', 1.1, true)]]);
    expect(merged).toMatchObject({ ratio: 1.1, met: true, figure: '1.1' });
    expect(merged!.note).toContain('ratios 0.900x, 1.40x, 1.10x');
  });

  it('takes the majority verdict for a row without a ratio, and says when a run lacked the row', () => {
    const merged = medianRows([[row('b', undefined, false)], [row('b', undefined, true), row('c', 2, true)], []]);
    expect(merged[0]).toMatchObject({ name: 'b', met: false });
    expect(merged[0]!.note).toContain('missing from 1 of 3 runs');
    expect(merged[1]).toMatchObject({ name: 'c', ratio: 2 });
    expect(merged[1]!.note).toContain('missing from 2 of 3 runs');
  });

  it('returns one run as it is', () => {
    const only = [row('a', 1, true)];
    expect(medianRows([only])).toEqual(only);
  });
});
