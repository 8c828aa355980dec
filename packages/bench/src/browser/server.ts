import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, defaultClientConditions, preview, type PreviewServer } from 'vite';
import { BENCH_ROOT, REPO_ROOT } from '../harness/paths.ts';

/** Where the pages find a self-contained bundle of `@switchboard/cross-tab` (bus included). */
export const LIBRARY_COPY_PATH = '/copies/cross-tab.js';

/** The built bench pages, served on a free port of 127.0.0.1. */
export interface PageServer {
  readonly url: string;
  /**
   * Serves the same pages on another port (a free one unless `port` is given): another origin of
   * the same site.
   */
  anotherOrigin(port?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds pages/ with Vite into a temporary folder and serves it. A production build, not the dev
 * server: the pages then run the code as apps ship it (minified, no per-module requests).
 */
export async function startPageServer(): Promise<PageServer> {
  const configFile = path.join(BENCH_ROOT, 'pages', 'vite.config.ts');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-pages-'));
  await build({ configFile, build: { outDir } });
  // What an MFE ships when it bundles Switchboard: the library and the bus in one module. Pages
  // import it under several query strings to load that many independent copies.
  await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
    build: {
      outDir: path.join(outDir, path.dirname(LIBRARY_COPY_PATH)),
      emptyOutDir: false,
      lib: {
        entry: path.join(REPO_ROOT, 'packages', 'cross-tab', 'src', 'index.ts'),
        formats: ['es'],
        fileName: () => path.basename(LIBRARY_COPY_PATH),
      },
    },
  });
  // Port 0: the OS picks a free port, so a developer's open servers never collide with the bench.
  const servers: PreviewServer[] = [];
  async function serve(port = 0): Promise<string> {
    const server = await preview({
      configFile,
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    });
    servers.push(server);
    const address = server.httpServer.address();
    if (address === null || typeof address === 'string')
      throw new Error('startPageServer(): the preview server has no TCP address.');
    return `http://127.0.0.1:${address.port}`;
  }
  const url = await serve();
  return {
    url,
    anotherOrigin: serve,
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
