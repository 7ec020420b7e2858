import { dirname } from 'node:path';

import type { Diagnostic } from '@flowline/core';

import { readWorkflowFile, templateFileReader } from '../load-workflow.js';
import { DEFAULT_SOURCE_LIMITS } from '../source/source-limits.js';
import { type LintOptions, lintText } from './lint-text.js';

export type LintFileOptions = Omit<LintOptions, 'file' | 'readTemplateFile'>;

/**
 * Lints a workflow file: reads it once (and its `template_file`s, relative to
 * it) as `flowline validate` does, then applies the rules, the configuration
 * and the file's suppression comments. Throws `FlowlineError`
 * (`file_unreadable`) when the file cannot be read.
 */
export async function lintFile(path: string, options: LintFileOptions = {}): Promise<Diagnostic[]> {
  const limits = options.limits ?? DEFAULT_SOURCE_LIMITS;
  const read = await readWorkflowFile(path, limits);
  if (!read.ok) return [...read.diagnostics];
  return lintText(read.text, { ...options, limits, file: path, readTemplateFile: templateFileReader(dirname(path)) });
}
