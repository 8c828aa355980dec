import { defaultClientConditions, defineConfig } from 'vite';

// `vite build`: one ES module exposing the single-spa lifecycles (dist/mfe-orders.js), loaded by
// the shell from this app's own origin. It bundles the helpers it uses but never creates a bus:
// the shell passes its bus in the mount props.
// `vite` (dev): index.html runs the app standalone, with a bus of its own (src/standalone.ts).
// The screen is Vue (src/orders-view.ts, render functions: no compiler), bundled in: the shell
// stays framework-free.
export default defineConfig({
  // A library build keeps these as they are; Vue's esm-bundler build reads them.
  define: {
    'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production'),
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  // Workspace packages are bundled from their TypeScript source; nothing is built first.
  resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    lib: {
      entry: 'src/lifecycles.ts',
      formats: ['es'],
      fileName: () => 'mfe-orders.js',
    },
  },
  server: { host: '127.0.0.1', port: 5401, strictPort: true },
});
