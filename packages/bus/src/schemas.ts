export { attachSchemas } from './attach-schemas.ts';
export { isSchemaError, SchemaError } from './errors.ts';

export type { AttachedSchemas, SchemaMap, SchemaStats, TopicsOf } from './attach-schemas.ts';
export type { SchemaIssue } from './errors.ts';
