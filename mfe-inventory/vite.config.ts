import { defaultClientConditions, defineConfig } from 'vite';

// `vite build`: one ES module exposing the single-spa lifecycles (dist/mfe-inventory.js), loaded by
// the shell from this app's own origin, and frame.html with dist/mfe-inventory-framed.js, which
// the shell loads in an iframe when it is set to. Neither creates the shell's bus: the page gets
// a handle in its mount props, the frame one from joinHost.
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
    // Two entries: the lifecycles the shell mounts in its page, and the page it loads in an
    // iframe from this origin when the shell is set to (public/frame.html runs it).
    lib: {
      entry: { 'mfe-inventory': 'src/lifecycles.ts', 'mfe-inventory-framed': 'src/framed.ts' },
      formats: ['es'],
      fileName: (_format, entry) => `${entry}.js`,
    },
  },
  server: { host: '127.0.0.1', port: 5402, strictPort: true },
});
