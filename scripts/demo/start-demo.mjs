import { join } from 'node:path';
import { demoApps } from './apps.mjs';
import { buildDemo } from './build-demo.mjs';
import { injectImportMap } from './import-map.mjs';
import { serveStatic } from './static-server.mjs';

/**
 * Builds (unless `build: false`) and serves the demo: each MFE on its own port, then the shell
 * with an import map that points at them. Port 0 picks a free port (tests run in parallel that way).
 * Resolves with the three base URLs and a `close()` that stops every server.
 */
export async function startDemo({ host = '127.0.0.1', ports, outDir, build = true, logLevel } = {}) {
  const dirs = build
    ? await buildDemo({ outDir, logLevel })
    : Object.fromEntries(
        Object.entries(demoApps).map(([name, app]) => [name, outDir ? join(outDir, name) : join(app.dir, 'dist')]),
      );
  const servers = [];
  try {
    const orders = await serveStatic({ root: dirs.orders, host, port: ports.orders });
    servers.push(orders);
    // The inventory page a shell may load in an iframe pins the shell's origin, known once the
    // shell listens (below), before any page asks for it.
    let shellOrigin = '';
    const inventory = await serveStatic({
      root: dirs.inventory,
      host,
      port: ports.inventory,
      transformHtml: (html) => html.replaceAll('%SWITCHBOARD_SHELL_ORIGIN%', shellOrigin),
    });
    servers.push(inventory);
    const importMap = {
      imports: {
        [demoApps.orders.specifier]: orders.url + demoApps.orders.entry,
        [demoApps.inventory.specifier]: inventory.url + demoApps.inventory.entry,
      },
    };
    const shell = await serveStatic({
      root: dirs.shell,
      host,
      port: ports.shell,
      transformHtml: (html) => injectImportMap(html, importMap),
    });
    servers.push(shell);
    shellOrigin = new URL(shell.url).origin;
    return {
      urls: { shell: shell.url, orders: orders.url, inventory: inventory.url },
      close: () => Promise.all(servers.map((server) => server.close())).then(() => undefined),
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
}
