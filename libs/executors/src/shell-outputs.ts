import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { FlowlineError } from '@flowline/core';

/**
 * Reads what a shell step wrote to `$FLOWLINE_OUTPUT`: one JSON object, or
 * `key=value` lines (values are text; blank lines are ignored). A missing
 * file means no outputs.
 */
export async function readOutputFile(path: string): Promise<Record<string, unknown>> {
  const text = await readIfExists(path);
  if (text === undefined || text.trim() === '') return {};
  if (text.trimStart().startsWith('{')) return parseObject(text, '$FLOWLINE_OUTPUT');
  const outputs: Record<string, unknown> = {};
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new FlowlineError('bad_output', `$FLOWLINE_OUTPUT line ${i + 1} is not key=value: ${JSON.stringify(line)}`);
    }
    outputs[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });
  return outputs;
}

/**
 * Reads `outputs_from`: a JSON object the step wrote in the workspace. With
 * change capture the attempt's files are in the capture directory, not yet
 * in the workspace, so that is looked at first.
 */
export async function readOutputsFrom(
  workspace: string,
  captureDir: string | undefined,
  path: string,
): Promise<Record<string, unknown>> {
  const captured = captureDir === undefined ? undefined : await readIfExists(join(captureDir, path));
  const text = captured ?? (await readIfExists(join(workspace, path)));
  if (text === undefined) {
    throw new FlowlineError('bad_output', `outputs_from: the step did not write ${path}`);
  }
  return parseObject(text, `outputs_from ${path}`);
}

function parseObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FlowlineError('bad_output', `${where} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FlowlineError('bad_output', `${where} must hold one JSON object`);
  }
  return value as Record<string, unknown>;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
