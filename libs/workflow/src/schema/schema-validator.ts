import type { ErrorObject } from 'ajv/dist/2020.js';

import type { DiagnosticSink } from '../diagnostics.js';
import type { SourcePositions } from '../source/source-positions.js';
import { reportSchemaErrors } from './schema-error-rewriter.js';
import { validate } from './workflow-validator.generated.js';

/** The generated validator's shape (the file is plain generated code, unchecked by TypeScript). */
const validateWorkflow = validate as ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Validates against the JSON Schema; reports each problem once, in plain
 * words, at its place. The validation code was generated from the schema at
 * build time (scripts/generate-schema-validator.mjs), so no process pays for
 * compiling the schema at start.
 */
export function validateSchema(value: unknown, positions: SourcePositions, sink: DiagnosticSink): boolean {
  if (validateWorkflow(value)) return true;
  reportSchemaErrors(validateWorkflow.errors ?? [], value, positions, sink);
  return false;
}
