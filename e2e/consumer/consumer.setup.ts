import { join } from 'node:path';
import { test as setup } from '@playwright/test';
import { build } from 'vite';
import { packPackages } from '../../scripts/pack-packages.mjs';
import { appDirectory, installApp, writeApp, writeSources } from './consumer-app.ts';

// Once per run, before the consumer specs: the tarballs (reused from `npm run test:packages` when
// the packages have not changed since), the app and its install, and its Vite build.
setup('pack, install and build the consumer app', async () => {
  setup.setTimeout(180_000);
  const { packages } = await packPackages({ reuse: true });
  writeApp(packages);
  await installApp();
  writeSources(packages);
  await build({
    root: appDirectory,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: 'dist',
      rollupOptions: {
        input: { main: join(appDirectory, 'index.html'), examples: join(appDirectory, 'examples.html') },
      },
    },
  });
});
