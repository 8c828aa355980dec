import { join } from 'node:path';
import { build } from 'vite';
import { demoApps } from './apps.mjs';

/**
 * Builds the shell and both MFEs with their own vite.config.ts. Packages are bundled from their
 * TypeScript source (the `switchboard-source` condition), so no package needs building first.
 * `outDir` (optional) builds into `<outDir>/<app>` instead of each app's dist/, so a test run
 * never overwrites the files a running `npm start` serves.
 * Returns the folder of each app's build.
 */
export async function buildDemo({ outDir, logLevel = 'warn' } = {}) {
  const dirs = {};
  // One after the other: parallel builds interleave their warnings and gain little here.
  for (const [name, app] of Object.entries(demoApps)) {
    const appOut = outDir ? join(outDir, name) : join(app.dir, 'dist');
    await build({
      root: app.dir,
      configFile: join(app.dir, 'vite.config.ts'),
      logLevel,
      build: { outDir: appOut, emptyOutDir: true },
    });
    dirs[name] = appOut;
  }
  return dirs;
}
