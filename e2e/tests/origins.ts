// More origins of one site for the frame specs: each is a small proxy on a free port of
// 127.0.0.1 in front of the one Vite server Playwright started, so a page served through it has
// an origin of its own (ports differ; the site, 127.0.0.1, is the same) and runs the same code.
// The ports are the 9 above the server's (E2E_PORT), so each run stays in a range of its own
// (the demo's servers take the next ones, see demo-fixtures.ts).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A second origin serving the e2e pages. */
export interface ExtraOrigin {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The same server by the name `localhost`: another site than 127.0.0.1 for the browser. */
  readonly otherSite: string;
  close(): Promise<void>;
}

/** How many ports above the server's a proxy may take. */
const PORTS_ABOVE = 9;

/** Starts a proxy to `target` (the Vite server's origin) on the first free port above its own. */
export async function startOrigin(target: string): Promise<ExtraOrigin> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forward.on('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`proxy to ${target} failed: ${error.message}`);
    });
    incoming.pipe(forward);
  });
  // Pages keep connections alive; close them with the server so the worker can exit.
  server.keepAliveTimeout = 1000;
  await listenAbove(server, Number(upstream.port));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    otherSite: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Listens on the first port of `base + 1 … base + PORTS_ABOVE` that no one else holds. */
async function listenAbove(server: Server, base: number): Promise<void> {
  for (let port = base + 1; port <= base + PORTS_ABOVE; port++) {
    const taken = await new Promise<boolean>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (error.code === 'EADDRINUSE') resolve(true);
        else reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve(false);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
    if (!taken) return;
  }
  throw new Error(
    `startOrigin: ports ${base + 1}-${base + PORTS_ABOVE} are all taken; close what holds them or set E2E_PORT.`,
  );
}
