// The throwaway app of the consumer test: a folder outside the workspace (so nothing resolves to
// the repository's packages or node_modules) holding e2e/consumer/app/, the README examples, and
// node_modules installed from the packed tarballs alone, plus the registry packages they need.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PackedPackage } from '../../scripts/pack-packages.mjs';
import { exampleModule, type ReadmeExample, readmeExamples } from '../../scripts/readme-examples.mjs';
import { root } from '../../scripts/workspace-packages.mjs';

/** The app's folder: one per checkout, recreated by every run of the consumer test. */
export const appDirectory = join(
  tmpdir(),
  `switchboard-consumer-${createHash('sha1').update(root).digest('hex').slice(0, 8)}`,
);

// Playwright's types need Node's (@types/node), which are most of what tsc reads and checks: the
// examples and entry points that import a test runner, Vue's server renderer (its types import
// node:stream) or node: go under src/node/, which only the nodenext program (with Node's types)
// checks, so the bundler program goes without them.
const needsNodeTypes =
  /from\s*['"](?:@playwright\/test|@switchboard\/testing\/playwright|vue\/server-renderer|node:[^'"]*)['"]|reference types="node"/;

/** Where a README example is written in the app, relative to the app. */
export function exampleFile(example: ReadmeExample): string {
  const extension = example.jsx ? 'tsx' : 'ts';
  if (example.mode !== 'browser' && needsNodeTypes.test(`${example.setup}\n${example.code}`))
    return `src/node/readme/${example.name}.${extension}`;
  return `src/readme/${example.name}${example.mode === 'browser' ? '.browser' : ''}.${extension}`;
}

function installedVersion(name: string): string {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Writes the app's template and package.json: what `installApp` needs. */
export function writeApp(packages: readonly PackedPackage[]): void {
  rmSync(appDirectory, { recursive: true, force: true });
  mkdirSync(appDirectory, { recursive: true });
  cpSync(join(root, 'e2e', 'consumer', 'app'), appDirectory, { recursive: true });

  const dependencies: Record<string, string> = {};
  for (const pkg of packages) dependencies[pkg.name] = `file:${pkg.tarball}`;
  // What an app using every entry point installs beside Switchboard: idb for durable sagas (an
  // optional peer of @switchboard/patterns), Playwright for @switchboard/testing/playwright and
  // the Node types that Playwright's types need, a schema library for @switchboard/bus/schemas,
  // React (with react-dom and the types) and Vue, the peers of the bindings, and React Testing
  // Library, which the React README's testing example uses. The versions the repository is
  // tested with, so the install is served from npm's cache.
  const installed = [
    'idb',
    '@playwright/test',
    '@types/node',
    'valibot',
    'react',
    'react-dom',
    '@types/react',
    '@types/react-dom',
    'vue',
    '@testing-library/react',
    '@testing-library/dom',
    // Vue's compiler types import @babel/types, which Vue does not declare: a strict install (this
    // one, pnpm) with skipLibCheck off needs it from the app.
    '@babel/types',
  ];
  for (const name of installed) dependencies[name] = installedVersion(name);
  // Examples written for Vitest import its expect; a small stand-in (app/stand-ins/vitest) runs them.
  dependencies.vitest = 'file:./stand-ins/vitest';
  const manifest = { name: 'switchboard-consumer', private: true, type: 'module', dependencies };
  writeFileSync(join(appDirectory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Writes the app's generated sources, once it is installed: a module importing every export
 * entry (so every shipped .d.ts is type-checked), the list Node imports, the README examples.
 */
export function writeSources(packages: readonly PackedPackage[]): void {
  const typed: Record<string, string[]> = { 'src/entries.ts': [], 'src/node/entries.ts': [] };
  const specifiers: string[] = [];
  for (const pkg of packages) {
    for (const [key, target] of Object.entries(pkg.manifest.exports as Record<string, string | { types?: string }>)) {
      const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
      specifiers.push(specifier);
      if (typeof target === 'string' || !target.types) continue;
      const types = readFileSync(join(appDirectory, 'node_modules', pkg.name, target.types), 'utf8');
      typed[needsNodeTypes.test(types) ? 'src/node/entries.ts' : 'src/entries.ts']!.push(specifier);
    }
  }
  writeFileSync(join(appDirectory, 'entries.json'), `${JSON.stringify(specifiers, null, 2)}\n`);
  mkdirSync(join(appDirectory, 'src', 'node', 'readme'), { recursive: true });
  mkdirSync(join(appDirectory, 'src', 'readme'), { recursive: true });
  for (const [file, entries] of Object.entries(typed)) {
    const lines = entries.map((specifier, i) => `export * as entry${i} from '${specifier}';`);
    writeFileSync(join(appDirectory, file), `${[...lines, 'export {};'].join('\n')}\n`);
  }

  const examples = readmeExamples();
  for (const example of examples) writeFileSync(join(appDirectory, exampleFile(example)), exampleModule(example));
  const browser = examples.filter((example) => example.mode === 'browser');
  writeFileSync(
    join(appDirectory, 'src', 'browser-examples.ts'),
    [
      '// The README examples that run in a browser, by name (generated).',
      'export const browserExamples: Record<string, () => Promise<unknown>> = {',
      ...browser.map((example) => `  '${example.name}': () => import('./readme/${example.name}.browser.js'),`),
      '};',
      '',
    ].join('\n'),
  );
}

/** The environment for tools run in the app: npm's settings of the calling npm script removed. */
function appEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const kept = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || kept.has(key.toLowerCase())) env[key] = value;
  }
  return env;
}

/** Runs a command in the app; rejects with its output when it fails. */
export async function runInApp(
  command: string,
  args: readonly string[],
  options: { timeout?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(command, args, {
      cwd: appDirectory,
      env: appEnvironment(),
      timeout: options.timeout ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${appDirectory}:\n${stdout}${stderr}`, { cause: error });
  }
}

/**
 * Installs the app's dependencies: the tarballs and what they declare, from npm's cache when it
 * has them. Linked (isolated) layout: each package sees only what it declares, so a tarball that
 * imports a package that neither it nor the app declares fails here, as under pnpm.
 */
export async function installApp(): Promise<void> {
  await runInApp('npm', [
    'install',
    '--install-strategy=linked',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--no-package-lock',
    '--loglevel=error',
  ]);
}
