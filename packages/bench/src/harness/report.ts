import os from 'node:os';
import type { MachineInfo } from './machine.ts';
import type { BenchResult } from './result.ts';
import { renderNotes, renderTable } from './table.ts';

/** Everything docs/benchmarks.md is written from. */
export interface Report {
  readonly machine: MachineInfo;
  readonly versions: Readonly<Record<string, string>>;
  readonly command: string;
  readonly results: readonly BenchResult[];
  /** Groups that crashed or failed a correctness check, with why. */
  readonly failures: readonly string[];
  readonly seconds: number;
}

/** The Markdown of docs/benchmarks.md. */
export function renderReport(report: Report): string {
  const { machine } = report;
  const missed = report.results.filter((r) => r.met === false).length;
  const met = report.results.filter((r) => r.met === true).length;
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`${report.command}\` on ${machine.date}; do not edit by hand, run it again.`,
    `${report.results.length} rows, ${met} goals met, ${missed} missed` +
      (report.failures.length > 0 ? `, **${report.failures.length} groups failed** (see below).` : '.'),
    '',
    renderTable(report.results),
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memory}; ${machine.os}`,
    `- Load average (1 min): ${machine.loadAtStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end ` +
      '(anything well above 0 means other work shared the CPU; ratios are measured in interleaved rounds to be fair to both sides, absolute figures are not)',
    `- Node ${machine.node}; ${Object.entries(report.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    `- Command: \`${report.command}\` (${report.seconds.toFixed(0)} s)`,
    '',
    '## How each figure was measured',
    '',
    renderNotes(report.results),
    '',
  ];
  if (report.failures.length > 0) {
    lines.push('## Failed groups', '', ...report.failures.map((failure) => `- ${failure}`), '');
  }
  return lines.join('\n');
}
