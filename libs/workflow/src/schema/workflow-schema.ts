import { createRequire } from 'node:module';

/**
 * The JSON Schema of the workflow language, the same file editors load
 * (schema/workflow.schema.json, published as @flowline/schema).
 */
export const workflowSchema = createRequire(import.meta.url)('@flowline/schema/workflow.schema.json') as Record<
  string,
  unknown
>;
