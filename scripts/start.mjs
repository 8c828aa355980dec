// Starts a small demo: the e2e pages served by Vite, with the bus run from its source.
// To be replaced by the real microfrontend demo (shell + MFEs).
import { createServer } from 'vite';

const host = '127.0.0.1';
const port = 5300;

const server = await createServer({
  configFile: new URL('../e2e/vite.config.ts', import.meta.url).pathname,
  // 5310 in the config belongs to the e2e tests; the demo uses its own port so both can run.
  server: { host, port, strictPort: true },
});
await server.listen();
console.log(`Switchboard demo: open http://${host}:${port}/ in two tabs`);
