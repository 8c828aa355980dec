// The inspector stays out of the MFEs: builds each demo MFE as it is deployed and fails if any of
// its chunks holds a module of @switchboard/inspector or the panel's marker strings; builds the
// shell and checks that its entry holds the launcher only, the panel being a chunk of its own
// that the shell fetches on first open. Run by scripts/size.mjs (`npm run test:size`).
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { root } from './workspace-packages.mjs';

// Strings only the panel's code holds: its session format and its scoped style root.
const markers = ['switchboard-inspector-session', 'sb-inspector'];
const inspectorSource = join(root, 'packages', 'inspector', 'src');
// What the launcher imports: its own folder and the package's errors.
const launcherModules = [join(inspectorSource, 'launcher'), join(inspectorSource, 'errors.ts')];

function isInspectorModule(id) {
  return id.startsWith(inspectorSource) || id.includes('/node_modules/@switchboard/inspector/');
}

/** The chunks of an app's production build, as its own vite config makes them. */
async function chunksOf(app) {
  const output = await build({
    root: join(root, app),
    configFile: join(root, app, 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false, outDir: join(root, app, 'dist') },
  });
  return (Array.isArray(output) ? output : [output])
    .flatMap((result) => result.output)
    .filter((item) => item.type === 'chunk')
    .map((chunk) => ({ ...chunk, ids: chunk.moduleIds ?? Object.keys(chunk.modules ?? {}) }));
}

/** @returns {Promise<{ problems: string[], figures: string[] }>} */
export async function checkInspectorIsolation(apps = ['mfe-orders', 'mfe-inventory']) {
  const problems = [];
  const figures = [];
  for (const app of apps) {
    for (const chunk of await chunksOf(app)) {
      const modules = chunk.ids.filter(isInspectorModule);
      const marker = markers.find((text) => chunk.code.includes(text));
      if (modules.length > 0 || marker)
        problems.push(
          `${app}: its bundle (${chunk.fileName}) holds inspector code (${modules[0] ?? `'${marker}'`}); ` +
            'an MFE must never import @switchboard/inspector: only the shell does, lazily',
        );
    }
    figures.push(`${app}: no inspector code`);
  }

  const shell = await chunksOf('mfe-shell');
  const entry = shell.filter((chunk) => chunk.isEntry);
  for (const chunk of entry) {
    const panel = chunk.ids.filter(
      (id) => isInspectorModule(id) && !launcherModules.some((allowed) => id.startsWith(allowed)),
    );
    if (panel.length > 0)
      problems.push(
        `mfe-shell: its entry chunk ${chunk.fileName} holds the inspector panel (${panel[0]}); load it with ` +
          "load: () => import('@switchboard/inspector') so it is fetched on first open",
      );
  }
  const lazy = shell.filter((chunk) => !chunk.isEntry && chunk.ids.some((id) => id.endsWith('mount-inspector.ts')));
  if (lazy.length === 0) problems.push('mfe-shell: no chunk of its own holds the inspector panel (mount-inspector.ts)');
  for (const chunk of lazy)
    figures.push(
      `mfe-shell: the panel is ${chunk.fileName}, ${gzipSync(chunk.code).length} B gzipped, fetched on first open`,
    );
  return { problems, figures };
}
