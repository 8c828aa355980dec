import { fileURLToPath } from 'node:url';

/** The repository root (packages/bench/src/harness -> four levels up). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The bench package's folder. */
export const BENCH_ROOT = fileURLToPath(new URL('../../', import.meta.url));
