import { dirname, resolve } from 'node:path';
import type { TsdownPlugin } from 'tsdown';
import ts from 'typescript';

/**
 * The source modules whose every export the package's main entry re-exports under the same
 * name: a sub-entry can take them from the main entry instead of holding a copy of its own.
 */
export function modulesOfMainEntry(mainSource: string): MainEntryModules {
  const program = ts.createProgram([mainSource], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    customConditions: ['switchboard-source'],
    noEmit: true,
    // Only exports are read: no lib or @types files to parse (they would take seconds per package).
    noLib: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const exportsOf = (file: ts.SourceFile): Map<string, ts.Symbol> => {
    const symbol = checker.getSymbolAtLocation(file);
    const exports = new Map<string, ts.Symbol>();
    for (const exported of symbol ? checker.getExportsOfModule(symbol) : []) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      exports.set(exported.name, target);
    }
    return exports;
  };
  const main = program.getSourceFile(mainSource);
  if (!main) throw new Error(`build: cannot read the main entry ${mainSource}`);
  const mainExports = exportsOf(main);
  const candidates = new Set<ts.SourceFile>();
  for (const target of mainExports.values()) {
    const file = target.declarations?.[0]?.getSourceFile();
    if (file && !file.isDeclarationFile && file !== main) candidates.add(file);
  }
  const shared = new Set<string>();
  for (const file of candidates) {
    const exports = exportsOf(file);
    if ([...exports].every(([name, target]) => mainExports.get(name) === target)) shared.add(resolve(file.fileName));
  }
  const withClasses = new Set<string>();
  for (const file of program.getSourceFiles()) {
    if (!file.isDeclarationFile && file.statements.some(ts.isClassDeclaration)) withClasses.add(resolve(file.fileName));
  }
  return { shared, withClasses };
}

/** The modules a sub-entry takes from the main entry, and the main entry's modules that declare a class. */
export interface MainEntryModules {
  readonly shared: ReadonlySet<string>;
  readonly withClasses: ReadonlySet<string>;
}

/**
 * Makes a sub-entry import `shared` modules from the package's main entry by its package name
 * (external), so an app that imports both entries holds one copy of their classes and state, and
 * every built entry stays one module that imports no chunk of its own package.
 */
export function importFromMainEntry(packageName: string, main: MainEntryModules): TsdownPlugin {
  return {
    name: 'switchboard:import-from-main-entry',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const file = resolve(dirname(importer.replace(/\?.*$/, '')), source).replace(/\.d\.ts$/, '.ts');
      return main.shared.has(file) ? { id: packageName, external: true } : null;
    },
    // A class copied into a sub-entry would be a second class: `instanceof` and identity across
    // the two entries would fail. Such a module must be one the main entry wholly exports.
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const copied = chunk.moduleIds.filter((id) => main.withClasses.has(id) && !main.shared.has(id));
        if (copied.length > 0) {
          this.error(
            `${chunk.fileName} would hold its own copy of the classes of ${copied.join(', ')}, which the main ` +
              'entry holds too: export every name of that module from the main entry, or move the class apart.',
          );
        }
      }
    },
  };
}
