// Size budgets: bundles each library entry point the way an MFE would (minified ES module, its
// @switchboard/* dependencies inlined, other dependencies external) and checks the gzip size
// against the `sizeBudget` (bytes, gzipped) in the package's package.json. Prints a table.
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, defaultClientConditions } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const rows = [];
let failed = false;

for (const dir of (await readdir(join(root, 'packages'))).sort()) {
  const pkgPath = join(root, 'packages', dir, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8'));
  if (pkg.private || !pkg.sizeBudget) continue;
  for (const [entry, budget] of Object.entries(pkg.sizeBudget)) {
    const source = pkg.exports[entry]['switchboard-source'];
    const outDir = await mkdtemp(join(tmpdir(), 'sb-size-'));
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
      build: {
        outDir,
        write: false,
        minify: true,
        lib: { entry: join(root, 'packages', dir, source), formats: ['es'], fileName: 'entry' },
        rollupOptions: {
          external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@switchboard/'),
        },
      },
    });
    await rm(outDir, { recursive: true, force: true });
    const code = output[0].output
      .filter((chunk) => chunk.type === 'chunk')
      .map((chunk) => chunk.code)
      .join('');
    const gzip = gzipSync(code).length;
    const ok = gzip <= budget;
    failed ||= !ok;
    rows.push([`${pkg.name}${entry === '.' ? '' : entry.slice(1)}`, code.length, gzip, budget, ok ? 'ok' : 'OVER']);
  }
}

console.log('| entry point | minified (B) | gzip (B) | budget gzip (B) | |');
console.log('|---|---:|---:|---:|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
if (failed) {
  console.error(
    'size: an entry point is over its budget; shrink it or raise sizeBudget in its package.json with a reason.',
  );
  process.exit(1);
}
