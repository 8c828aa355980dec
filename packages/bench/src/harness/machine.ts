import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_ROOT, REPO_ROOT } from './paths.ts';

/** Where and with what the figures were measured: they mean little without it. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  /** Load average (1 min) when the run started: other work on the machine skews every figure. */
  readonly loadAtStart: number;
  readonly date: string;
}

/** Describes this machine now. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAtStart: os.loadavg()[0]!,
    date: new Date().toISOString(),
  };
}

/** The installed version of a package (hoisted or local to the bench), or 'not installed'. */
export function packageVersion(name: string): string {
  const candidates = [
    path.join(REPO_ROOT, 'node_modules', name, 'package.json'),
    path.join(BENCH_ROOT, 'node_modules', name, 'package.json'),
    path.join(REPO_ROOT, 'packages', name.replace('@switchboard/', ''), 'package.json'),
  ];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === name) return manifest.version ?? 'unversioned';
  }
  return 'not installed';
}
