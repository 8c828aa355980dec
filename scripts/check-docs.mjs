// Docs that stay true, checked in `npm run lint`:
// - every link in the repository's Markdown files stays inside the repository and points at a
//   file or folder that exists (docs travel with the code; a link elsewhere rots unseen);
// - the root README's package table lists each publishable package with its real dependencies
//   (dependencies and peer dependencies of its package.json).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { publishablePackages, root } from './workspace-packages.mjs';

const problems = [];

function markdownFiles() {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed.split('\n').filter((path) => path && existsSync(join(root, path)));
}

// [text](target "title"), ![alt](target), [label]: target, href="target", src="target".
const linkPatterns = [
  /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  /^\s*\[[^\]]+\]:\s*(\S+)/gm,
  /\b(?:href|src)="([^"]+)"/g,
];

function checkLinks(file) {
  // Code spans and fences show syntax, not links.
  const text = readFileSync(join(root, file), 'utf8')
    .replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, '')
    .replace(/`[^`\n]*`/g, '');
  for (const pattern of linkPatterns) {
    for (const match of text.matchAll(pattern)) {
      const target = match[1];
      if (target.startsWith('#')) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        problems.push(`${file}: links to ${target}, outside the repository; describe it in words or in docs/ instead`);
        continue;
      }
      const path = resolve(dirname(join(root, file)), decodeURIComponent(target.split('#')[0]));
      const inside = relative(root, path);
      if (inside.startsWith('..')) {
        problems.push(`${file}: links to ${target}, which is outside the repository; link a file in it (docs/)`);
      } else if (!existsSync(path)) {
        problems.push(`${file}: links to ${target}, which does not exist`);
      }
    }
  }
}

function checkPackageTable() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => line.startsWith('|'));
  for (const pkg of publishablePackages()) {
    const row = rows.find((line) => line.includes(`\`${pkg.name}\``));
    if (!row) {
      problems.push(`README.md: the package table has no row for ${pkg.name}; add one ("which package do I need")`);
      continue;
    }
    const cells = row.split('|').map((cell) => cell.trim());
    const dependsOn = cells.at(-2) ?? '';
    const dependencies = [
      ...Object.keys(pkg.manifest.dependencies ?? {}),
      ...Object.keys(pkg.manifest.peerDependencies ?? {}),
    ];
    if (dependencies.length === 0 && dependsOn !== 'nothing') {
      problems.push(`README.md: ${pkg.name} depends on nothing, but its row says '${dependsOn}'`);
    }
    for (const dependency of dependencies) {
      const short = dependency.replace(/^@switchboard\//, '');
      if (!new RegExp(`(^|[\\s\`,(/])${short.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}($|[\\s\`,);])`).test(dependsOn)) {
        problems.push(`README.md: the row of ${pkg.name} does not list ${dependency}, which its package.json declares`);
      }
    }
  }
}

for (const file of markdownFiles()) checkLinks(file);
checkPackageTable();
if (problems.length > 0) {
  console.error(`docs:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  process.exit(1);
}
