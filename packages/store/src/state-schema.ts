import type { StoreDefinition } from './define-store.ts';
import { StoreError } from './errors.ts';

/** Checks `value` against the store's schema (synchronous only); throws SCHEMA_INVALID naming the path. */
export function validateState(
  definition: StoreDefinition<unknown, never>,
  storeId: string,
  value: unknown,
  label: string,
): unknown {
  const schema = definition.schema;
  if (schema === undefined) return value;
  const result = schema['~standard'].validate(value) as {
    value?: unknown;
    issues?: ReadonlyArray<{ message: string; path?: ReadonlyArray<unknown> }>;
  };
  if (typeof (result as { then?: unknown }).then === 'function') {
    throw new StoreError(
      'INVALID_OPTION',
      storeId,
      `${label}('${storeId}'): the schema validates asynchronously; stores need a synchronous schema.`,
    );
  }
  if (result.issues !== undefined) {
    const issue = result.issues[0];
    const path = issue?.path
      ?.map((key) => (typeof key === 'object' && key !== null ? (key as { key: unknown }).key : key))
      .join('.');
    throw new StoreError(
      'SCHEMA_INVALID',
      storeId,
      `${label}('${storeId}'): the new state breaks the store's schema${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}; nothing was written.`,
    );
  }
  return value;
}

/** Brings a state of an older schema version up to the definition's. */
export function migrateState(
  definition: StoreDefinition<unknown, never>,
  value: unknown,
  fromVersion: number,
): unknown {
  if (fromVersion === definition.version) return value;
  if (fromVersion > definition.version) {
    throw new StoreError(
      'INVALID_OPTION',
      definition.name,
      `store '${definition.name}': a tab or the stored state has schema version ${fromVersion}, newer than this definition's ${definition.version}; load the same version of the store in every app.`,
    );
  }
  if (definition.migrate === undefined) {
    throw new StoreError(
      'INVALID_OPTION',
      definition.name,
      `store '${definition.name}': the stored state has schema version ${fromVersion} and the definition ${definition.version}, but no migrate(); add migrate(state, fromVersion).`,
    );
  }
  return definition.migrate(value, fromVersion);
}
