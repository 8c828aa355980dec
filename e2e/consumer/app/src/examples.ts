// Runs one README example (those marked `browser`) in this page: `await runExample('history-1')`.
import { browserExamples } from './browser-examples.js';

declare global {
  interface Window {
    runExample(name: string): Promise<void>;
  }
}

window.runExample = async (name) => {
  const load = browserExamples[name];
  if (!load)
    throw new Error(
      `runExample('${name}'): no such browser example; known: ${Object.keys(browserExamples).join(', ')}`,
    );
  await load();
};
