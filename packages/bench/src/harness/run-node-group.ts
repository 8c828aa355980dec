import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchFailure, type BenchResult } from './result.ts';

const CHILD = fileURLToPath(new URL('../node/child.ts', import.meta.url));

/**
 * Runs one Node benchmark group in a fresh process with the runner's loader flags (tsx, the
 * `switchboard-source` condition) plus `--expose-gc`, and returns what it measured.
 */
export function runNodeGroup(group: string): Promise<BenchResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [group], { execArgv: [...process.execArgv, '--expose-gc'], stdio: 'inherit' });
    let results: BenchResult[] | undefined;
    child.on('message', (message) => {
      results = (message as { results: BenchResult[] }).results;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && results) resolve(results);
      else reject(new BenchFailure(`node group '${group}' failed (exit ${code ?? signal}); see its output above.`));
    });
  });
}
