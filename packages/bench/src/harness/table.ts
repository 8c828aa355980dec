import type { BenchResult } from './result.ts';

function ratioText(ratio: number | undefined): string {
  // Three significant digits: with two decimals 0.297x read as 0.30x beside a goal of 0.3x.
  return ratio === undefined ? '—' : `${ratio.toPrecision(3)}x`;
}

function escapeCell(cell: string): string {
  return cell.replaceAll('|', '\\|');
}

/** The results as a Markdown table, one row per benchmark, goals marked met or missed. */
export function renderTable(results: readonly BenchResult[]): string {
  const header = ['Issue', 'Benchmark', 'Switchboard', 'Peer / limit (same run)', 'Ratio', 'Goal', 'Met'];
  const rows = results.map((r) => [
    `#${r.issue}`,
    r.name,
    r.figure,
    r.reference,
    ratioText(r.ratio),
    r.goal,
    r.met === undefined ? '—' : r.met ? 'met' : '**missed**',
  ]);
  return [header, header.map(() => '---'), ...rows]
    .map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`)
    .join('\n');
}

/** The notes of each row, numbered like the table, so every figure can be traced to its method. */
export function renderNotes(results: readonly BenchResult[]): string {
  return results.map((r, index) => `${index + 1}. **${r.name}**: ${r.note ?? 'no notes'}`).join('\n');
}
