import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type UserConfig } from 'tsdown';

interface ExportTarget {
  'switchboard-source'?: string;
  default?: string;
}

/**
 * The build of one publishable package, read from its package.json: every export that names a
 * `switchboard-source` file becomes one bundled ES module (plus `.d.ts` and source map) at the
 * path its `default` condition names. The exports map is the one list of entry points.
 */
export function packageBuild(packageDir: string): UserConfig {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, ExportTarget | string>;
  };
  const entry: Record<string, string> = {};
  for (const target of Object.values(pkg.exports)) {
    if (typeof target === 'string' || !target['switchboard-source'] || !target.default) continue;
    const name = target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
    entry[name] = target['switchboard-source'];
  }
  return defineConfig({
    cwd: packageDir,
    entry,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    dts: true,
    sourcemap: true,
    clean: true,
    tsconfig: 'tsconfig.build.json',
  });
}
