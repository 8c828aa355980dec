import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright';
import { REPO_ROOT } from '../harness/paths.ts';
import { check, type BenchResult } from '../harness/result.ts';
import { formatMs, median } from '../harness/stats.ts';

const SAMPLES = 25;

/**
 * An import or re-export in a built module, written with or without spaces (`dist` leaves
 * whitespace out: `import{a}from"b"`), a dynamic `import(` included. `dist` has no comments, so
 * an example in a doc comment cannot be taken for one.
 */
const IMPORTS = /\bimport\s*[{*("'`]|\bimport\s+[\w$]+\s*(?:,|\bfrom\b)|\bexport\s*(?:\*|\{[^}]*\})\s*from\s*["']/;

/**
 * What is timed: importing the module, then its first use (create, subscribe, one publish).
 * `empty` imports a module with nothing in it: the runtime's own cost of an import, subtracted.
 */
const USES = {
  empty: '',
  mitt: "const e = m.default(); e.on('orders.created', () => {}); e.emit('orders.created', { id: 1 });",
  switchboard:
    "const b = m.createPubSub({ app: 'cold' }); b.subscribe('orders.created', () => {}); b.publish('orders.created', { id: 1 });",
} as const;
type Subject = keyof typeof USES;
const SUBJECTS = Object.keys(USES) as Subject[];

/** The modules as shipped: the bus's built entry point (one module), mitt's ES module, an empty one. */
function modules(): Record<Subject, string> {
  // Built now, so the figure is of the current source.
  execFileSync('npm', ['run', 'build', '--workspace', '@switchboard/bus'], { cwd: REPO_ROOT, stdio: 'ignore' });
  return {
    empty: '',
    mitt: readFileSync(mittPath(), 'utf8'),
    switchboard: readFileSync(path.join(REPO_ROOT, 'packages', 'bus', 'dist', 'index.js'), 'utf8'),
  };
}

function mittPath(): string {
  const require = createRequire(path.join(REPO_ROOT, 'packages', 'bench', 'package.json'));
  return path.join(path.dirname(require.resolve('mitt')), 'mitt.mjs');
}

/** Serves the modules and a blank page on a free port of 127.0.0.1. */
async function serve(sources: Record<Subject, string>): Promise<{ server: Server; url: string }> {
  // Cross-origin isolated, so performance.now() has 5 µs steps instead of 100 µs.
  const headers = {
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  };
  const server = createServer((request, response) => {
    const name = request.url?.slice(1).replace(/\.js$/, '') as Subject;
    if (request.url === '/') {
      response.writeHead(200, { ...headers, 'content-type': 'text/html' });
      response.end('<!doctype html><title>cold start</title>');
    } else if (name in sources) {
      response.writeHead(200, { ...headers, 'content-type': 'text/javascript' });
      response.end(sources[name]);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('cold start: the server has no TCP address.');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

/** One sample in a fresh Node process: ms from before the import to after the first use. */
function nodeSample(file: string, subject: Subject): number {
  const script =
    `const t = performance.now(); const m = await import(${JSON.stringify(file)}); ${USES[subject]}\n` +
    'process.stdout.write(String(performance.now() - t));';
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  check(run.status === 0, `cold start (${subject}, Node): the process failed: ${run.stderr}`);
  return Number(run.stdout);
}

/** One sample in a fresh Chromium context: the same, timed in the page. */
async function browserSample(browser: Browser, url: string, subject: Subject): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/`);
    return await page.evaluate(
      async ([moduleUrl, use]) => {
        const first = new Function('m', use) as (module: unknown) => void;
        const start = performance.now();
        first(await import(moduleUrl));
        return performance.now() - start;
      },
      [`${url}/${subject}.js`, USES[subject]] as const,
    );
  } finally {
    await context.close();
  }
}

/** Medians over interleaved samples, each less the empty import's median. */
function row(runtime: string, samples: Record<Subject, number[]>, note: string): BenchResult {
  const empty = median(samples.empty);
  const ours = median(samples.switchboard) - empty;
  const mitt = median(samples.mitt) - empty;
  // mitt's own cost can be within the noise of an import; 10 µs keeps the ratio finite and honest.
  const ratio = ours / Math.max(mitt, 0.01);
  return {
    issue: 23,
    name: `cold start in ${runtime}: import + create + subscribe + first publish`,
    figure: formatMs(ours),
    reference: `mitt ${formatMs(mitt)}`,
    ratio,
    goal: '<= 2x mitt',
    met: ratio <= 2,
    note:
      `${note}; median of ${SAMPLES} interleaved samples each, less the median of importing an empty module ` +
      `the same way (${formatMs(empty)}); the bus's built entry point, one module`,
  };
}

/** Cold start of the built bus against mitt, in fresh Node processes and fresh Chromium contexts. */
export async function benchColdStart(browser: Browser): Promise<BenchResult[]> {
  const sources = modules();
  check(!IMPORTS.test(sources.switchboard), 'cold start: the built bus imports other modules.');
  const { server, url } = await serve(sources);
  try {
    const node = { empty: [], mitt: [], switchboard: [] } as Record<Subject, number[]>;
    const chromium = { empty: [], mitt: [], switchboard: [] } as Record<Subject, number[]>;
    const files: Record<Subject, string> = {
      empty: 'data:text/javascript,',
      mitt: pathToFileURL(mittPath()).href,
      switchboard: pathToFileURL(path.join(REPO_ROOT, 'packages', 'bus', 'dist', 'index.js')).href,
    };
    for (let i = 0; i < SAMPLES; i++) {
      for (const subject of SUBJECTS) node[subject].push(nodeSample(files[subject], subject));
      for (const subject of SUBJECTS) chromium[subject].push(await browserSample(browser, url, subject));
    }
    return [
      row(
        'Node',
        node,
        'a fresh `node` process per sample, timed inside it from before `import()` to after the first publish',
      ),
      row(
        'Chromium',
        chromium,
        'a fresh browser context per sample, the module served over HTTP from 127.0.0.1 without caching, timed in the page',
      ),
    ];
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
