import { ValidationError } from '@flowline/core';
import type { CompiledInput, CompiledWorkflow } from '@flowline/workflow';
import { matchesInputType } from '@flowline/workflow';

/**
 * A run's inputs: the ones given, checked against the workflow's
 * declarations, plus defaults. Unknown, missing-but-required, mistyped and
 * out-of-enum inputs are refused before the run exists, each named.
 */
export function resolveInputs(
  workflow: CompiledWorkflow,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const declared = new Map(workflow.inputs.map((input) => [input.name, input]));
  const problems: string[] = [];
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) problems.push(`unknown input "${name}"`);
  }
  const resolved: Record<string, unknown> = {};
  for (const input of workflow.inputs) {
    const value = Object.hasOwn(given, input.name) ? given[input.name] : input.default;
    const problem = checkInput(input, value, Object.hasOwn(given, input.name));
    if (problem !== undefined) problems.push(problem);
    else if (value !== undefined) resolved[input.name] = value;
  }
  if (problems.length > 0) {
    throw new ValidationError('invalid_inputs', `${workflow.name}: ${problems.join('; ')}`, { problems });
  }
  return resolved;
}

function checkInput(input: CompiledInput, value: unknown, given: boolean): string | undefined {
  if (value === undefined) return input.required ? `input "${input.name}" is required` : undefined;
  if (!matchesInputType(value, input.type)) {
    return `input "${input.name}" must be of type ${input.type}, got ${JSON.stringify(value)}`;
  }
  if (
    given &&
    input.enum !== undefined &&
    !input.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))
  ) {
    return `input "${input.name}" must be one of ${input.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
  }
  return undefined;
}
