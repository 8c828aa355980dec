import { test as setup } from '@playwright/test';
import { packPackages } from '../../scripts/pack-packages.mjs';
import { installApp, writeApp, writeSources } from './consumer-app.ts';

// Once per run, before the consumer specs: the tarballs (reused from `npm run test:packages` when
// the packages have not changed since), the app and its install.
setup('pack the packages and install them in the consumer app', async () => {
  setup.setTimeout(180_000);
  const { packages } = await packPackages({ reuse: true });
  writeApp(packages);
  await installApp();
  writeSources(packages);
});
