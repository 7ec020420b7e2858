import { readFile } from 'node:fs/promises';

import yaml from 'js-yaml';

import type { InputType } from '@flowline/core';
import type { CompiledWorkflow } from '@flowline/workflow';

import { UsageError } from '../cli-io.js';

/** An input's declared type, when it is known here. */
export type InputTypeOf = (name: string) => InputType | undefined;

/**
 * Inputs from `--inputs-file F` (JSON or YAML, one mapping) overlaid with
 * `--input k=v` pairs. A pair's text is converted to the input's declared
 * type (numbers, booleans, JSON arrays and objects) so `--input n=3` works;
 * text that does not convert is passed on as text, and the engine's input
 * check then names the input and the type it wanted.
 */
export function runInputs(
  workflow: CompiledWorkflow,
  pairs: readonly string[],
  file: string | undefined,
  command: string,
): Promise<Record<string, unknown>> {
  return parseInputs(pairs, file, command, (name) => workflow.inputs.find((input) => input.name === name)?.type);
}

/**
 * runInputs with the types from elsewhere (a coordinator's run). Where no
 * type is known (a workflow only the coordinator holds), a pair's text is
 * read as JSON when it parses (`3`, `true`, `[1,2]`) and kept as text
 * otherwise; an inputs file says exactly what it means.
 */
export async function parseInputs(
  pairs: readonly string[],
  file: string | undefined,
  command: string,
  typeOf: InputTypeOf,
): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = file === undefined ? {} : await readInputsFile(file, command);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input takes NAME=VALUE, got "${pair}"`, command);
    const name = pair.slice(0, eq);
    inputs[name] = convert(pair.slice(eq + 1), typeOf(name));
  }
  return inputs;
}

function convert(text: string, type: InputType | undefined): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'number':
    case 'integer': {
      const number = Number(text);
      return text.trim() === '' || Number.isNaN(number) ? text : number;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
    case 'object':
    case undefined:
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
  }
}

async function readInputsFile(file: string, command: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --inputs-file ${file}: ${(error as NodeJS.ErrnoException).code ?? ''}`, command);
  }
  let value: unknown;
  try {
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const where = mark === undefined ? '' : `:${mark.line + 1}:${mark.column + 1}`;
    throw new UsageError(`${file}${where}: not valid JSON or YAML`, command);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file}: --inputs-file must hold one mapping of input names to values`, command);
  }
  return value as Record<string, unknown>;
}
