// Runs one README example compiled to JS: `node run-example.mjs out/bus-1.mjs`. It passes when the
// module finishes evaluating (top-level awaits included) without an error; timers it leaves behind
// (heartbeats of a cross-tab bus) do not keep it waiting.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

await import(pathToFileURL(resolve(process.argv[2])).href);
process.exit(process.exitCode ?? 0);
