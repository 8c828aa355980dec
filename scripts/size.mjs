// Size budgets: bundles each library entry point the way an MFE would (minified ES module, its
// @switchboard/* dependencies inlined, other dependencies external) and checks the gzip size
// against the `sizeBudget` (bytes, gzipped) in the package's package.json. Prints a table.
//
// `sizeBudget` keys:
// - an export entry of the package, as in its exports map: ".", "./durable";
// - an entry and the named imports an app takes from it: "{ createPubSub }" (the package root),
//   "./durable { createIdbSagaLog }": what an app that imports only those names ships.
// Every publishable package sets a budget for each export entry that has JavaScript.
//
// Size figures in READMEs are checked too: a marker before a figure, invisible once rendered,
//   <!-- size: @switchboard/bus -->10.2 kB
//   <!-- size: @switchboard/cross-tab minus @switchboard/bus -->5.1 kB   (what it adds)
//   <!-- size: @switchboard/bus { createPubSub } -->6.0 kB
// names what it measures; a figure is in kB (1000 B) with one decimal and may differ from the
// measured gzip size by at most 0.1 kB. `node scripts/size.mjs --write` rewrites the figures.
//
// It also builds the demo's MFEs and fails if their bundles hold any inspector code, and checks
// that the shell's entry holds the inspector's launcher only (scripts/inspector-isolation.mjs).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, defaultClientConditions } from 'vite';
import { checkInspectorIsolation } from './inspector-isolation.mjs';
import { publishablePackages, root, workspacePackages } from './workspace-packages.mjs';

const toleranceBytes = 100;
const write = process.argv.includes('--write');
const problems = [];

/** Parses a sizeBudget key: `"./durable { createIdbSagaLog }"` -> { entry, names }. */
function parseKey(key) {
  const match = /^\s*(\.[^\s{]*)?\s*(?:\{([^}]*)\})?\s*$/.exec(key);
  const names = match?.[2]
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!match || (!match[1] && !names?.length)) return undefined;
  return { entry: match[1] ?? '.', names };
}

/** What an import of `names` from `entry` ships, minified and gzipped. */
async function measure(pkg, entry, names) {
  const source = pkg.manifest.exports?.[entry]?.['switchboard-source'];
  if (!source) throw new Error(`${pkg.name}: sizeBudget names '${entry}', which its exports map does not have`);
  const work = await mkdtemp(join(tmpdir(), 'sb-size-'));
  try {
    let input = join(pkg.path, source);
    if (names) {
      // A module that re-exports only the names, so everything else is tree-shaken away.
      input = join(work, 'import.js');
      await writeFile(input, `export { ${names.join(', ')} } from ${JSON.stringify(join(pkg.path, source))};\n`);
    }
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
      build: {
        outDir: join(work, 'out'),
        write: false,
        minify: true,
        lib: { entry: input, formats: ['es'], fileName: 'entry' },
        rollupOptions: {
          external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@switchboard/'),
        },
      },
    });
    const code = output[0].output
      .filter((chunk) => chunk.type === 'chunk')
      .map((chunk) => chunk.code)
      .join('');
    return { minified: code.length, gzip: gzipSync(code).length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function label(pkg, entry, names) {
  const path = entry === '.' ? pkg.name : `${pkg.name}${entry.slice(1)}`;
  return names ? `${path} { ${names.join(', ')} }` : path;
}

// Budgets: measured once each; README markers reuse these sizes or measure what they name.
const sizes = new Map();
const rows = [];
for (const pkg of publishablePackages()) {
  const budgets = pkg.manifest.sizeBudget ?? {};
  const scriptEntries = Object.entries(pkg.manifest.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && target['switchboard-source'])
    .map(([entry]) => entry);
  for (const entry of scriptEntries) {
    if (entry in budgets) continue;
    const size = await measure(pkg, entry, undefined);
    rows.push([label(pkg, entry, undefined), size.minified, size.gzip, '—', 'NO BUDGET']);
    problems.push(
      `${pkg.name}: no size budget for '${entry}' (${size.gzip} B gzipped now); add ` +
        `"sizeBudget": { "${entry}": <gzip bytes> } to ${pkg.dir}/package.json`,
    );
  }
  for (const [key, budget] of Object.entries(budgets)) {
    const parsed = parseKey(key);
    if (!parsed) {
      problems.push(
        `${pkg.name}: sizeBudget key '${key}' is neither an entry ('./durable') nor an import ('{ name }')`,
      );
      continue;
    }
    const name = label(pkg, parsed.entry, parsed.names);
    const size = await measure(pkg, parsed.entry, parsed.names);
    sizes.set(name, size.gzip);
    const ok = size.gzip <= budget;
    if (!ok) problems.push(`${name}: ${size.gzip} B gzipped, over its budget of ${budget} B`);
    rows.push([name, size.minified, size.gzip, budget, ok ? 'ok' : 'OVER']);
  }
}

// The size a marker names: "<entry>", "<entry> { names }", or "<a> minus <b>".
async function markerSize(text) {
  const parts = text.split(/\s+minus\s+/);
  const values = [];
  for (const part of parts) {
    const key = part.trim();
    if (!sizes.has(key)) {
      const match = /^(@[^/\s]+\/[^/\s{]+)(\/[^\s{]+)?\s*(\{.*\})?$/.exec(key);
      const pkg = match && workspacePackages().find((candidate) => candidate.name === match[1]);
      if (!pkg) throw new Error(`'${key}' names no package entry`);
      const size = await measure(pkg, match[2] ? `.${match[2]}` : '.', parseKey(match[3] ?? '')?.names);
      sizes.set(key, size.gzip);
    }
    values.push(sizes.get(key));
  }
  return values.reduce((total, value) => total - value);
}

const marker = /<!--\s*size:\s*(.+?)\s*-->(\s*)(\d+(?:\.\d+)?)\s*kB/g;
const readmes = ['README.md', ...workspacePackages().map((pkg) => `${pkg.dir}/README.md`)].filter((path) =>
  existsSync(join(root, path)),
);
for (const readme of readmes) {
  const text = await readFile(join(root, readme), 'utf8');
  let rewritten = text;
  for (const match of text.matchAll(marker)) {
    const [whole, what, space, figure] = match;
    const line = text.slice(0, match.index).split('\n').length;
    let measured;
    try {
      measured = await markerSize(what);
    } catch (error) {
      problems.push(`${readme}:${line}: size marker '${what}': ${error.message}`);
      continue;
    }
    const expected = (measured / 1000).toFixed(1);
    if (Math.abs(Number(figure) * 1000 - measured) <= toleranceBytes) continue;
    if (write) {
      rewritten = rewritten.replace(whole, `<!-- size: ${what} -->${space}${expected} kB`);
    } else {
      problems.push(
        `${readme}:${line}: says ${figure} kB for ${what}, measured ${measured} B gzipped: write ${expected} kB ` +
          '(or run node scripts/size.mjs --write)',
      );
    }
  }
  if (rewritten !== text) {
    await writeFile(join(root, readme), rewritten);
    console.log(`size: rewrote the figures of ${readme}`);
  }
}

// What an MFE ships: never the inspector, which only the shell loads, on first open.
const isolation = await checkInspectorIsolation();
problems.push(...isolation.problems);

console.log('| entry point | minified (B) | gzip (B) | budget gzip (B) | |');
console.log('|---|---:|---:|---:|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
for (const figure of isolation.figures) console.log(`inspector isolation: ${figure}`);
if (problems.length > 0) {
  console.error(`\nsize:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  console.error('Shrink what is over its budget or raise its sizeBudget in package.json with a reason.');
  process.exit(1);
}
