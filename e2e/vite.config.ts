import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// Multi-page: every pages/<name>.html (with its <name>.ts module) is served at /<name>.html.
// Only Vite's dev server is used (tests and demo), so no build inputs are listed.
export default defineConfig({
  root: fileURLToPath(new URL('./pages/', import.meta.url)),
  // Workspace packages export "switchboard-source" -> src/index.ts: pages run the
  // TypeScript source, so nothing has to be built before the tests.
  resolve: {
    conditions: ['switchboard-source', ...defaultClientConditions],
  },
  server: {
    host: '127.0.0.1',
    port: 5310,
    strictPort: true,
    // Tests must not be reloaded mid-run because someone edits a source file: no HMR, no watching.
    hmr: false,
    // No WebSocket either: an open one keeps a page out of the back/forward cache.
    ws: false,
    watch: null,
  },
});
