// The TypeScript examples of the READMEs (the root one and every package's), so the consumer test
// (e2e/consumer) can type-check and run them against the packed packages: an example that stops
// compiling or working fails `npm test`, and a new example is picked up with no edit here.
//
// In a README (```tsx for examples with JSX, which React's use; the same words apply):
// - ```ts              type-checked, then run in Node;
// - ```ts browser      type-checked, then run in a Chromium page (IndexedDB, BroadcastChannel,
//                      Web Locks are real there);
// - ```ts no-run       type-checked only: a deliberately partial example (a Playwright spec, a
//                      fragment of a test).
// An HTML comment right before the fence, `<!-- example-setup ... -->`, holds code the page does
// not show but the example needs (stand-ins for the reader's own functions, a bus made earlier);
// it is put before the example. Every example is its own module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, workspacePackages } from './workspace-packages.mjs';

const languages = new Set(['ts', 'typescript', 'tsx']);
const flags = new Set(['browser', 'no-run']);

/**
 * @typedef {object} ReadmeExample
 * @property {string} name       unique id, e.g. `bus-2` (README folder, then its n-th example)
 * @property {string} readme     the README, relative to the root
 * @property {number} line       README line of the example's first code line (1-based)
 * @property {'node' | 'browser' | 'no-run'} mode
 * @property {boolean} jsx      a ```tsx example: its module is a .tsx file
 * @property {string} setup      the example-setup comment's code, '' when none
 * @property {number} setupLine  README line of the setup's first code line (0 when none)
 * @property {string} code       the example as shown, its fence's indentation removed
 */

/** @returns {string[]} the READMEs whose examples are checked, relative to the root */
function readmePaths() {
  return ['README.md', ...workspacePackages().map((pkg) => `${pkg.dir}/README.md`)];
}

/**
 * @param {string} readme   path relative to the root
 * @param {string} text     its contents
 * @returns {ReadmeExample[]}
 */
function examplesOf(readme, text) {
  const lines = text.split('\n');
  const slug = readme === 'README.md' ? 'root' : readme.split('/').at(-2);
  const examples = [];
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    // As in CommonMark: a backtick fence's info string has no backtick (that is inline code).
    if (fence[0] === '`' && info.includes('`')) continue;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) end++;
    const [language, ...words] = info.trim().split(/\s+/);
    const body = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    const start = i;
    i = end;
    if (!languages.has(language)) continue;
    const unknown = words.filter((word) => !flags.has(word));
    if (unknown.length > 0) {
      throw new Error(
        `${readme}:${start + 1}: unknown word '${unknown[0]}' after \`\`\`${language}; use 'browser' or 'no-run'`,
      );
    }
    count++;
    const setup = setupBefore(lines, start);
    examples.push({
      name: `${slug}-${count}`,
      readme,
      line: start + 2,
      mode: words.includes('no-run') ? 'no-run' : words.includes('browser') ? 'browser' : 'node',
      jsx: language === 'tsx',
      setup: setup?.code ?? '',
      setupLine: setup?.line ?? 0,
      code: body.join('\n'),
    });
  }
  return examples;
}

// The `<!-- example-setup ... -->` comment ending on the last non-blank line before a fence.
function setupBefore(lines, fenceIndex) {
  let last = fenceIndex - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  if (last < 0 || lines[last].trim() !== '-->') return undefined;
  let first = last - 1;
  while (first >= 0 && !lines[first].includes('<!--')) first--;
  if (first < 0 || lines[first].trim() !== '<!-- example-setup') return undefined;
  return { code: lines.slice(first + 1, last).join('\n'), line: first + 2 };
}

/** @returns {ReadmeExample[]} the examples of every README, in README order */
export function readmeExamples() {
  return readmePaths().flatMap((readme) => examplesOf(readme, readFileSync(join(root, readme), 'utf8')));
}

/**
 * The module an example becomes: a comment naming its README, the setup, the example.
 *
 * @param {ReadmeExample} example
 */
export function exampleModule(example) {
  const header = `// ${example.readme}:${example.line} (${example.name}): generated from the README; edit it there.`;
  return [header, ...(example.setup ? [example.setup] : []), example.code, 'export {};', ''].join('\n');
}

/**
 * The README line that line `line` (1-based) of an example's module came from.
 *
 * @param {ReadmeExample} example
 * @param {number} line
 */
export function readmeLine(example, line) {
  const setupLines = example.setup ? example.setup.split('\n').length : 0;
  if (line <= 1) return example.line;
  if (line <= 1 + setupLines) return example.setupLine + (line - 2);
  return example.line + (line - 2 - setupLines);
}
