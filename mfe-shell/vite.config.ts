import { defaultClientConditions, defineConfig } from 'vite';

// The shell is a plain page build. It never bundles the MFEs: it imports them at run time by
// the names in its import map, which the demo server adds to index.html (scripts/demo/).
export default defineConfig({
  // Workspace packages are bundled from their TypeScript source; nothing is built first.
  resolve: { conditions: ['switchboard-source', ...defaultClientConditions] },
  build: { target: 'es2022' },
});
