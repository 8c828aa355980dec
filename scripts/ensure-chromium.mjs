// Makes sure Debian's Chromium is installed before the e2e tests run.
// Playwright's own browser download cannot work here (no network besides the
// npm and Debian registries), so the tests drive /usr/bin/chromium instead.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!existsSync(chromiumPath)) {
  const command = 'apt-get update && apt-get install -y chromium';
  // process.getuid is undefined on Windows; treat that as "not root".
  if (process.getuid?.() === 0) {
    console.log(`ensure-chromium: ${chromiumPath} not found, running: ${command}`);
    execSync(command, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (!existsSync(chromiumPath)) {
      console.error(
        `ensure-chromium: ${chromiumPath} still missing after apt-get; set CHROMIUM_PATH to your Chromium binary.`,
      );
      process.exit(1);
    }
  } else {
    // Not root: tell the developer the one command to run, and fail.
    console.log('sudo apt-get update && sudo apt-get install -y chromium');
    process.exit(1);
  }
}
