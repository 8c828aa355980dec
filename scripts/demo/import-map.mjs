// The shell finds its MFEs through an import map, as a single-spa root config does: the shell
// is built once and the map, which is deployment data, is added when index.html is served.
const MARKER = '<!-- switchboard:import-map -->';

/** Returns `html` with the import map placed at the marker (it must precede every module script). */
export function injectImportMap(html, importMap) {
  if (!html.includes(MARKER)) {
    throw new Error(`injectImportMap(): the shell's index.html has no '${MARKER}' marker; put it first in <head>.`);
  }
  const json = JSON.stringify(importMap, null, 2).replaceAll('<', '\\u003c');
  return html.replace(MARKER, `<script type="importmap">\n${json}\n</script>`);
}
