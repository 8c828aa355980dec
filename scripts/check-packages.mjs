// Packaging check: packs every publishable package once and checks each tarball as the registry
// would get it:
// - publint --strict: exports map, files, module format, LICENSE, ...;
// - Are the Types Wrong (attw) with the esm-only profile: every export entry resolves to JS and to
//   its types under node16 (from ESM) and bundler resolution. The packages are ESM only ("type":
//   "module", no "require" condition), as is every bundler and Node >= 20.19 app they target, so
//   require() from CommonJS (node10, node16-cjs) is not a supported way in and is not checked;
// - every package that the shipped code imports is declared in dependencies or peerDependencies
//   (an app installing the tarball gets, or is told to install, all it needs);
// - the packages are versioned together: changesets' fixed group names exactly the publishable
//   packages.
// Run as `npm run test:packages`; the consumer test (e2e/consumer) reuses the tarballs.
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packPackages } from './pack-packages.mjs';
import { publishablePackages, root } from './workspace-packages.mjs';

// The resolutions `attw --profile esm-only` ignores: CommonJS require() (see above).
const ignoredResolutions = new Set(['node10', 'node16-cjs']);
const builtins = new Set(builtinModules);

/** The package name a bare import specifier names, or undefined for relative and built-in ones. */
function importedPackage(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? undefined : name;
}

/** Every module specifier in a JS, TS or .d.ts file: static and dynamic imports, re-exports. */
function importSpecifiers(code) {
  const specifiers = new Set();
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  // Comments hold @example code that imports the package itself and others: not shipped imports.
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const pattern of patterns) {
    for (const match of withoutComments.matchAll(pattern)) specifiers.add(match[1]);
  }
  return specifiers;
}

function undeclaredImports(pkg, manifest) {
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const problems = [];
  const prefix = `/node_modules/${manifest.name}/`;
  for (const file of pkg.listFiles()) {
    if (!/\.(m?js|ts|mts)$/.test(file)) continue;
    for (const specifier of importSpecifiers(pkg.readFile(file))) {
      const name = importedPackage(specifier);
      if (name && !declared.has(name)) {
        problems.push(
          `${file.slice(prefix.length)} imports '${specifier}', but '${name}' is in neither dependencies nor ` +
            `peerDependencies: declare it (a peer, optional if only some entry points need it)`,
        );
      }
    }
  }
  return problems;
}

async function checkTarball({ name, tarball, manifest }) {
  const data = readFileSync(tarball);
  const problems = [];

  const lint = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    strict: true,
  });
  for (const message of lint.messages) {
    problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false }) ?? message.code}`);
  }

  const pkg = createPackageFromTarballData(new Uint8Array(data));
  const analysis = await checkPackage(pkg);
  if (!analysis.types) problems.push('attw: the package ships no type declarations');
  for (const problem of analysis.problems) {
    if ('resolutionKind' in problem && ignoredResolutions.has(problem.resolutionKind)) continue;
    const info = problemKindInfo[problem.kind];
    const where = 'entrypoint' in problem ? ` (${problem.entrypoint}, ${problem.resolutionKind})` : '';
    problems.push(`attw ${problem.kind}${where}: ${info.description} ${info.docsUrl}`);
  }

  problems.push(...undeclaredImports(pkg, manifest));
  return { name, problems };
}

// The changesets fixed group, compared with the publishable packages.
function versioningProblems() {
  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
  const fixed = new Set(config.fixed?.[0] ?? []);
  const names = publishablePackages().map((pkg) => pkg.name);
  const problems = names
    .filter((name) => !fixed.has(name))
    .map(
      (name) =>
        `${name} is not in the fixed group of .changeset/config.json: add it, so it is versioned with the others`,
    );
  for (const name of fixed) {
    if (!names.includes(name))
      problems.push(`.changeset/config.json's fixed group names ${name}, which is not a publishable package`);
  }
  return problems;
}

const started = performance.now();
const versioning = versioningProblems();
if (versioning.length > 0) {
  console.error(`FAIL versioning\n${versioning.map((problem) => `     - ${problem}`).join('\n')}`);
  process.exit(1);
}
const { packages } = await packPackages();
const results = await Promise.all(packages.map(checkTarball));
let failed = false;
for (const { name, problems } of results) {
  if (problems.length === 0) {
    console.log(`ok   ${name}`);
    continue;
  }
  failed = true;
  console.error(`FAIL ${name}`);
  for (const problem of problems) console.error(`     - ${problem}`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed) {
  console.error(
    `packages: a tarball would not work for its users (above); fix the package, then run npm run test:packages.`,
  );
  process.exit(1);
}
console.log(
  `packages: ${packages.length} tarballs pass publint --strict, attw (esm-only) and the dependency check (${seconds} s)`,
);
