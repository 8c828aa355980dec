import { defaultClientConditions, defineConfig } from 'vite';

// `vite build`: one ES module exposing the single-spa lifecycles (dist/mfe-inventory.js), loaded by
// the shell from this app's own origin. It bundles the helpers it uses but never creates a bus:
// the shell passes its bus in the mount props.
// `vite` (dev): index.html runs the app standalone, with a bus of its own (src/standalone.ts).
// The screen is React (src/inventory-view.tsx), bundled in: the shell stays framework-free.
export default defineConfig({
  // A library build keeps `process.env.NODE_ENV` as it is; React reads it to pick its build.
  define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
  oxc: { jsx: { runtime: 'automatic' } },
  // Workspace packages are bundled from their TypeScript source; nothing is built first.
  resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    lib: {
      entry: 'src/lifecycles.ts',
      formats: ['es'],
      fileName: () => 'mfe-inventory.js',
    },
  },
  server: { host: '127.0.0.1', port: 5402, strictPort: true },
});
