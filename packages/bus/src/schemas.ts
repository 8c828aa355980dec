export { attachSchemas } from './attach-schemas.ts';
export { isSchemaError, SchemaError } from './schema-error.ts';

export type { AttachedSchemas, SchemaMap, SchemaStats, TopicsOf } from './attach-schemas.ts';
export type { SchemaIssue } from './schema-error.ts';
