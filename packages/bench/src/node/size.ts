import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, defaultClientConditions, type Rollup } from 'vite';
import { REPO_ROOT } from '../harness/paths.ts';
import { check, type BenchResult } from '../harness/result.ts';

/** What an app ships of Switchboard for the imports of `entry`: bytes minified, and gzipped. */
async function shipped(entry: string): Promise<{ minified: number; gzip: number }> {
  const dir = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.bench-size-'));
  try {
    const file = path.join(dir, 'app.js');
    writeFileSync(file, entry);
    // Built as an app is (not as a library, whose ES output keeps its whitespace): Switchboard's
    // packages inlined from their source, every other dependency left out of the count.
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      root: REPO_ROOT,
      resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
      build: {
        write: false,
        minify: true,
        rollupOptions: {
          input: file,
          external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@switchboard/'),
        },
      },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const chunks = (Array.isArray(output) ? output[0]! : output).output.filter((chunk) => chunk.type === 'chunk');
    const code = chunks.map((chunk) => (chunk as Rollup.OutputChunk).code).join('');
    check(code.length > 0, 'size: the build produced no code.');
    return { minified: code.length, gzip: gzipSync(code).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(name: string, size: { minified: number; gzip: number }, bound: number, note: string): BenchResult {
  return {
    issue: 23,
    name,
    figure: `${(size.gzip / 1000).toFixed(2)} kB gzip`,
    reference: `bound ${(bound / 1000).toFixed(1)} kB`,
    ratio: size.gzip / bound,
    goal: `<= ${(bound / 1000).toFixed(1)} kB gzip`,
    met: size.gzip <= bound,
    note: `${note}; built with Vite as an app (minified, ${size.minified.toLocaleString('en')} bytes before gzip), Switchboard's packages inlined and other dependencies (idb) left out`,
  };
}

/** The bytes an app ships: the bus alone, and the four packages together. */
export async function benchSize(): Promise<BenchResult[]> {
  const busOnly = await shipped("import { createPubSub } from '@switchboard/bus';\nglobalThis.app = createPubSub;\n");
  const packages = ['bus', 'cross-tab', 'history', 'patterns'];
  const everything = await shipped(
    packages.map((name, i) => `import * as p${i} from '@switchboard/${name}';\nglobalThis.p${i} = p${i};`).join('\n'),
  );
  return [
    row(
      'size: an app that imports only createPubSub',
      busOnly,
      6_800,
      "`import { createPubSub } from '@switchboard/bus'`",
    ),
    row(
      'size: bus + cross-tab + history + patterns together',
      everything,
      20_000,
      `every export of ${packages.map((name) => `@switchboard/${name}`).join(', ')}`,
    ),
  ];
}
