import { join } from 'node:path';
import { test as setup } from '@playwright/test';
import { build } from 'vite';
import { appDirectory } from './consumer-app.ts';

// Before the Chromium specs: the app built by Vite from the installed packages, as a team would.
setup('build the consumer app with Vite', async () => {
  setup.setTimeout(120_000);
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
