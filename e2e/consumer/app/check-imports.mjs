// Imports every export entry of the installed packages in plain Node (ESM), as an app or a test
// runner would, and fails naming each entry that does not load or exports nothing, and each
// second copy: a name two entries of a package export as different values, or an error class
// whose `SwitchboardError` is not the one `@switchboard/bus` exports (an app importing two entries
// must hold one copy of each class).
import { readFileSync } from 'node:fs';

const entries = JSON.parse(readFileSync(new URL('./entries.json', import.meta.url), 'utf8'));
const failures = [];
/** `<package> <name>` -> the first value an entry exported under that name, and which entry. */
const exported = new Map();
const packageOf = (specifier) => specifier.split('/').slice(0, 2).join('/');
for (const specifier of entries) {
  try {
    const module = specifier.endsWith('.json')
      ? await import(specifier, { with: { type: 'json' } })
      : await import(specifier);
    if (Object.keys(module).length === 0) failures.push(`${specifier}: loads, but exports nothing`);
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) continue;
      const key = `${packageOf(specifier)} ${name}`;
      const first = exported.get(key);
      if (first === undefined) exported.set(key, { value, specifier });
      else if (first.value !== value) failures.push(`${specifier} and ${first.specifier} export two copies of ${name}`);
    }
  } catch (error) {
    failures.push(`${specifier}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const baseError = exported.get('@switchboard/bus SwitchboardError')?.value;
for (const [key, { value, specifier }] of exported) {
  if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
  for (let parent = Object.getPrototypeOf(value); parent && parent !== Error; parent = Object.getPrototypeOf(parent)) {
    if (parent.name === 'SwitchboardError' && parent !== baseError) {
      failures.push(`${specifier}: ${key.split(' ')[1]} extends a copy of SwitchboardError of its own`);
    }
  }
}
if (failures.length > 0) {
  console.error(`These entry points fail in Node:\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
  process.exit(1);
}
console.log(`${entries.length} entry points load in Node`);
