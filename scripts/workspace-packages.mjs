// The publishable packages of the workspace: every package under packages/ that is not private.
// Checks that cover "every package" (packing, publint, attw, the consumer test, size budgets) read
// this list, so a new package is checked without editing any of them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (absolute, ending without a slash). */
export const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name         the package name, e.g. `@switchboard/bus`
 * @property {string} dir          its folder relative to the root, e.g. `packages/bus`
 * @property {string} path         its folder, absolute
 * @property {Record<string, any>} manifest  its package.json
 */

/** @returns {WorkspacePackage[]} every package under packages/, sorted by folder */
export function workspacePackages() {
  const packages = [];
  for (const entry of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', entry, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    packages.push({ name: manifest.name, dir: `packages/${entry}`, path: join(root, 'packages', entry), manifest });
  }
  return packages;
}

/** @returns {WorkspacePackage[]} the packages under packages/ that are published (not private) */
export function publishablePackages() {
  return workspacePackages().filter((pkg) => !pkg.manifest.private);
}

/**
 * The file name `npm pack` gives a package's tarball: `@switchboard/bus` 0.1.0 ->
 * `switchboard-bus-0.1.0.tgz`.
 *
 * @param {Record<string, any>} manifest
 */
export function tarballName(manifest) {
  return `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
}
