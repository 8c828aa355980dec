// Packs every publishable package once (`npm pack`, which runs each package's prepack build) into
// node_modules/.cache/switchboard-packages/, and records a hash of what the tarballs are made of.
// The packaging check and the consumer test both take their tarballs from here: the second one
// to ask reuses them when nothing they are built from has changed since.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { publishablePackages, root, tarballName } from './workspace-packages.mjs';

/** Where the tarballs are written. */
const packDirectory = join(root, 'node_modules', '.cache', 'switchboard-packages');

// What a build reads besides each package's own folder.
const sharedInputs = [
  'package-lock.json',
  'tsconfig.base.json',
  'scripts/tsdown-package.ts',
  'scripts/main-entry-sharing.ts',
];
const skippedFolders = new Set(['node_modules', 'dist', 'test-results', '.vite']);

function addFiles(hash, folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) addFiles(hash, path);
    } else if (entry.isFile()) {
      hash.update(`${relative(root, path)}\0`).update(readFileSync(path));
    }
  }
}

/** A hash of every file the tarballs are built from (package folders without dist/, build config). */
function packInputsHash(packages = publishablePackages()) {
  const hash = createHash('sha256');
  for (const file of sharedInputs) hash.update(`${file}\0`).update(readFileSync(join(root, file)));
  for (const pkg of packages) addFiles(hash, pkg.path);
  return hash.digest('hex');
}

/**
 * @typedef {import('./workspace-packages.mjs').WorkspacePackage & { tarball: string }} PackedPackage
 */

/**
 * Packs the publishable packages, or reuses the tarballs of an earlier call when `reuse` is set
 * and they were made from the same inputs.
 *
 * @param {{ reuse?: boolean }} [options]
 * @returns {Promise<{ packages: PackedPackage[], reused: boolean, directory: string }>}
 */
export async function packPackages({ reuse = false } = {}) {
  const packages = publishablePackages();
  const hash = packInputsHash(packages);
  const stampPath = join(packDirectory, 'inputs.sha256');
  const packed = packages.map((pkg) => ({ ...pkg, tarball: join(packDirectory, tarballName(pkg.manifest)) }));
  const upToDate =
    existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash && packed.every((pkg) => existsSync(pkg.tarball));
  if (reuse && upToDate) return { packages: packed, reused: true, directory: packDirectory };

  rmSync(packDirectory, { recursive: true, force: true });
  mkdirSync(packDirectory, { recursive: true });
  const args = ['pack', ...packages.flatMap((pkg) => ['--workspace', pkg.dir]), '--pack-destination', packDirectory];
  try {
    await promisify(execFile)('npm', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    // npm prints the failing build's output (tsdown, tsc) on stdout and its own error on stderr.
    throw new Error(`npm ${args.join(' ')} failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`, { cause: error });
  }
  for (const pkg of packed) {
    if (!existsSync(pkg.tarball)) throw new Error(`npm pack wrote no ${pkg.tarball} for ${pkg.name}`);
  }
  writeFileSync(stampPath, hash);
  return { packages: packed, reused: false, directory: packDirectory };
}
