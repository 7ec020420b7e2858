import { type InputType, assertNever } from '@flowline/core';

import type { InputDefinition } from '../definition/workflow-definition.js';
import { TYPE_WORDS, describeValue } from '../util/describe.js';
import type { ValidationContext } from './validation-context.js';

/** True when `value` is of the declared input type. */
export function matchesInputType(value: unknown, type: InputType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return assertNever(type, 'input type');
  }
}

/** A default and the enum values must be of the input's type, and the default one of the enum. */
export function checkInputs(context: ValidationContext): void {
  for (const [name, input] of Object.entries(context.definition.inputs ?? {})) {
    checkInput(context, name, input);
  }
}

function checkInput(context: ValidationContext, name: string, input: InputDefinition): void {
  const type = input.type ?? 'string';
  const at = (field: string | number, ...rest: (string | number)[]) =>
    context.positions.valueSpan(['inputs', name, field, ...rest]);
  const error = (code: string, message: string, span: ReturnType<typeof at>, path: (string | number)[]) =>
    context.sink.error(code, `input "${name}": ${message}`, span, { path: ['inputs', name, ...path] });

  if ('default' in input && !matchesInputType(input.default, type)) {
    error(
      'input-default-type',
      `default must be ${TYPE_WORDS[type]} (type: ${type}), got ${describeValue(input.default)}`,
      at('default'),
      ['default'],
    );
  }
  input.enum?.forEach((value, i) => {
    if (!matchesInputType(value, type)) {
      error(
        'input-enum-type',
        `enum value ${describeValue(value)} is not ${TYPE_WORDS[type]} (type: ${type})`,
        at('enum', i),
        ['enum', i],
      );
    }
  });
  if (
    'default' in input &&
    input.enum !== undefined &&
    !input.enum.some((v) => JSON.stringify(v) === JSON.stringify(input.default))
  ) {
    error(
      'input-default-not-in-enum',
      `default ${describeValue(input.default)} is not one of its enum values`,
      at('default'),
      ['default'],
    );
  }
  if (input.required === true && 'default' in input) {
    context.sink.warning(
      'input-required-with-default',
      `input "${name}": is required and has a default; the default is never used`,
      at('required'),
      { path: ['inputs', name, 'required'] },
    );
  }
}
