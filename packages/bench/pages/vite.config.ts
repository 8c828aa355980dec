import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const page = (name: string): string => fileURLToPath(new URL(`./${name}.html`, import.meta.url));

// The browser benchmarks' pages, built (production mode, as apps ship it) and served by the
// bench runner. Workspace packages resolve to their TypeScript source, so nothing is built first.
// Cross-origin isolation: without it Chromium rounds performance.now() to 100 µs, coarser than
// the cross-tab latencies measured here; isolated pages get 5 µs.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    conditions: ['switchboard-source', ...defaultClientConditions],
  },
  logLevel: 'warn',
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        'cross-tab': page('cross-tab'),
        'cross-tab-fanout': page('cross-tab-fanout'),
        'cross-tab-copies': page('cross-tab-copies'),
        history: page('history'),
        rpc: page('rpc'),
        stores: page('stores'),
      },
    },
  },
});
