import type { BenchResult } from './result.ts';

/**
 * One row per benchmark from several full runs: the run whose ratio is the median (a row without
 * a ratio, an absolute bound, takes the run the majority of runs agree with on met or missed).
 * The note lists every run's ratio, so a reader sees the spread the median hides.
 */
export function medianRows(runs: readonly (readonly BenchResult[])[]): BenchResult[] {
  if (runs.length === 1) return [...runs[0]!];
  const byName = new Map<string, BenchResult[]>();
  for (const run of runs) {
    for (const row of run) {
      const seen = byName.get(row.name);
      if (seen === undefined) byName.set(row.name, [row]);
      else seen.push(row);
    }
  }
  return [...byName.values()].map((rows) => pickMedian(rows, runs.length));
}

function pickMedian(rows: BenchResult[], runCount: number): BenchResult {
  const missing = runCount - rows.length;
  const absent = missing > 0 ? `; missing from ${missing} of ${runCount} runs (its group failed there)` : '';
  if (rows.every((row) => row.ratio !== undefined)) {
    const sorted = [...rows].sort((a, b) => a.ratio! - b.ratio!);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const ratios = rows.map((row) => `${row.ratio!.toPrecision(3)}x`).join(', ');
    return withNote(median, `median of ${rows.length} full runs (ratios ${ratios})${absent}`);
  }
  const metCount = rows.filter((row) => row.met === true).length;
  const majority = metCount * 2 > rows.length;
  const chosen = rows.find((row) => row.met === majority) ?? rows[0]!;
  const verdicts = rows.map((row) => (row.met === undefined ? '—' : row.met ? 'met' : 'missed')).join(', ');
  return withNote(chosen, `${rows.length} full runs (${verdicts}); this run's figures${absent}`);
}

function withNote(row: BenchResult, summary: string): BenchResult {
  return { ...row, note: row.note === undefined ? summary : `${row.note}; ${summary}` };
}
