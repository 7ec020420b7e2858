import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

import type { DiagnosticSink } from '../diagnostics.js';
import type { SourcePositions } from '../source/source-positions.js';
import { reportSchemaErrors } from './schema-error-rewriter.js';
import { workflowSchema } from './workflow-schema.js';

let compiled: ValidateFunction | undefined;

/**
 * The compiled schema validator, built on first use and kept for the life of
 * the process (compiling costs tens of milliseconds; validating a 5,000-step
 * workflow costs a few).
 */
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({
    allErrors: true,
    // `verbose` keeps the failing value and schema on each error: the rewriter
    // needs both to say "got 30" and to suggest the nearest allowed field.
    verbose: true,
    allowUnionTypes: true,
    strictSchema: true,
    strictNumbers: true,
    strictTuples: true,
    strictTypes: false,
  }).compile(workflowSchema);
  return compiled;
}

/** Validates against the JSON Schema; reports each problem once, in plain words, at its place. */
export function validateSchema(value: unknown, positions: SourcePositions, sink: DiagnosticSink): boolean {
  const validate = validator();
  if (validate(value)) return true;
  reportSchemaErrors(validate.errors ?? [], value, positions, sink);
  return false;
}
