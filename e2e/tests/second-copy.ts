import type { Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

/**
 * Bundles `entry` with everything it imports into one ES module, as an MFE's build would: a
 * second, independent copy of the library next to the one Vite serves.
 */
export async function bundleSecondCopy(entry: URL, fileName: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['switchboard-source', 'module', 'browser', 'default'] },
    build: {
      write: false,
      minify: false,
      // One module even where the entry imports lazily (the bridge's connection code).
      rolldownOptions: { output: { codeSplitting: false } },
      lib: { entry: fileURLToPath(entry), formats: ['es'], fileName },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result) as Rolldown.RolldownOutput;
  return output.output[0].code;
}

/** Serves `code` to `page` at path `copyUrl`. */
export async function serveSecondCopy(page: Page, copyUrl: string, code: string): Promise<void> {
  // Matched by path: Vite's dev client appends `?import` to dynamic imports.
  await page.route(
    (url) => url.pathname === copyUrl,
    (route) => route.fulfill({ body: code, contentType: 'text/javascript' }),
  );
}
