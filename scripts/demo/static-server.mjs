// A tiny static file server for the demo's built apps. Each MFE is served from its own origin
// (port), as if deployed on its own, so every response carries CORS headers: the shell's origin
// loads the MFEs' modules cross-origin.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the files under `root` on `host:port` (port 0 picks a free one).
 * `transformHtml(html)` rewrites every HTML response (the shell's import map is added that way).
 * Unknown paths without an extension fall back to `/index.html`, so a reload on any route works.
 * Resolves once listening, with the base URL and a `close()`.
 */
export async function serveStatic({ root, host, port, transformHtml }) {
  const base = normalize(root + sep);
  const server = createServer(async (request, response) => {
    const headers = {
      'Access-Control-Allow-Origin': '*',
      // Builds are redone on every start: never let the browser keep an old bundle.
      'Cache-Control': 'no-cache',
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...headers, 'Access-Control-Allow-Methods': 'GET, HEAD' }).end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end('GET only\n');
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch (error) {
      // A malformed %-escape: refuse the request rather than let the rejection end the server.
      response.writeHead(400, headers).end(`bad path: ${error.message}\n`);
      return;
    }
    let file = normalize(join(base, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!file.startsWith(base)) {
      response.writeHead(403, headers).end('outside the served folder\n');
      return;
    }
    if (extname(file) === '') file = join(base, 'index.html');
    let body;
    try {
      body = await readFile(file);
    } catch (error) {
      const status = error.code === 'ENOENT' || error.code === 'EISDIR' ? 404 : 500;
      response.writeHead(status, headers).end(`${pathname}: ${status === 404 ? 'not found' : error.message}\n`);
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (type.startsWith('text/html') && transformHtml) body = transformHtml(body.toString('utf8'));
    response.writeHead(200, { ...headers, 'Content-Type': type });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
