import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The demo's three apps. `entry` is the file an MFE's build emits (its vite.config.ts names it)
 * and `specifier` the name the shell imports it by, through the import map.
 */
export const demoApps = {
  shell: { dir: `${repo}mfe-shell` },
  orders: { dir: `${repo}mfe-orders`, specifier: '@switchboard/mfe-orders', entry: 'mfe-orders.js' },
  inventory: { dir: `${repo}mfe-inventory`, specifier: '@switchboard/mfe-inventory', entry: 'mfe-inventory.js' },
};
