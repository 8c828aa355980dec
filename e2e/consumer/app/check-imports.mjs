// Imports every export entry of the installed packages in plain Node (ESM), as an app or a test
// runner would, and fails naming each entry that does not load or exports nothing.
import { readFileSync } from 'node:fs';

const entries = JSON.parse(readFileSync(new URL('./entries.json', import.meta.url), 'utf8'));
const failures = [];
for (const specifier of entries) {
  try {
    const module = specifier.endsWith('.json')
      ? await import(specifier, { with: { type: 'json' } })
      : await import(specifier);
    if (Object.keys(module).length === 0) failures.push(`${specifier}: loads, but exports nothing`);
  } catch (error) {
    failures.push(`${specifier}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (failures.length > 0) {
  console.error(`These entry points fail in Node:\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
  process.exit(1);
}
console.log(`${entries.length} entry points load in Node`);
