import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import ts from 'typescript';
import { type ReadmeExample, readmeExamples, readmeLine } from '../../scripts/readme-examples.mjs';
import { root } from '../../scripts/workspace-packages.mjs';
import { appDirectory, exampleFile, runInApp } from './consumer-app.ts';

// The consumer test in Node: what a team gets from the tarballs that consumer.setup.ts installed.
const examples = readmeExamples();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Rewrites tsc's `src/readme/<example>.ts(line,col)` positions to the README's lines. */
function withReadmeLines(output: string): string {
  return output.replace(
    /src\/(?:node\/)?readme\/([\w-]+?)(?:\.browser)?\.tsx?\((\d+),(\d+)\)/g,
    (whole, name, line, column) => {
      const example = examples.find((candidate) => candidate.name === name);
      return example ? `${example.readme}:${readmeLine(example, Number(line))}:${column} (${name})` : whole;
    },
  );
}

async function typeCheck(project: string): Promise<void> {
  try {
    await runInApp('node', [tsc, '-p', project, '--pretty', 'false']);
  } catch (error) {
    throw new Error(withReadmeLines((error as Error).message));
  }
}

test('every export entry loads in plain Node (ESM)', async () => {
  await runInApp('node', ['check-imports.mjs']);
});

// tsc reads hundreds of .d.ts files; on a busy machine that takes a while.
const typeCheckTimeout = 120_000;

test('the app, the entry points and the README examples type-check with moduleResolution bundler', async () => {
  test.setTimeout(typeCheckTimeout);
  await typeCheck('tsconfig.json');
});

test('the app, the entry points and the README examples type-check with moduleResolution nodenext', async () => {
  test.setTimeout(typeCheckTimeout);
  await typeCheck('tsconfig.nodenext.json');
});

function exampleTitle(example: ReadmeExample): string {
  return `README example ${example.name} (${example.readme}:${example.line})`;
}

for (const example of examples.filter((candidate) => candidate.mode === 'node')) {
  test(`${exampleTitle(example)} runs in Node`, async () => {
    const source = readFileSync(join(appDirectory, exampleFile(example)), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: exampleFile(example),
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: false,
        jsx: ts.JsxEmit.ReactJSX,
      },
    });
    mkdirSync(join(appDirectory, 'out'), { recursive: true });
    writeFileSync(join(appDirectory, 'out', `${example.name}.mjs`), outputText);
    await runInApp('node', ['run-example.mjs', `out/${example.name}.mjs`], { timeout: 20_000 });
  });
}
