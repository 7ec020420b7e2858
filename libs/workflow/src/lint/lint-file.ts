import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { type Diagnostic, FlowlineError, compareDiagnostics, errorMessage } from '@flowline/core';

import { loadWorkflowFile, templateFileReader } from '../load-workflow.js';
import { DEFAULT_SOURCE_LIMITS } from '../source/source-limits.js';
import { type LintOptions, lintCompiled } from './lint-text.js';

export type LintFileOptions = Omit<LintOptions, 'file' | 'readTemplateFile'>;

/**
 * Lints a workflow file: reads it (and its `template_file`s, relative to it)
 * as `flowline validate` does, then applies the rules, the configuration and
 * the file's suppression comments. Throws `FlowlineError` (`file_unreadable`)
 * when the file cannot be read.
 */
export async function lintFile(path: string, options: LintFileOptions = {}): Promise<Diagnostic[]> {
  const loaded = await loadWorkflowFile(path, options.limits ?? DEFAULT_SOURCE_LIMITS);
  if (!loaded.ok) return [...loaded.diagnostics];
  // Read again for the rules, which need the text as written (comments, places);
  // loadWorkflowFile keeps it to itself. The file was just read, so this succeeds
  // unless it changes under us.
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new FlowlineError('file_unreadable', `cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  });
  const findings = lintCompiled(text, loaded.workflow, {
    ...options,
    file: path,
    readTemplateFile: templateFileReader(dirname(path)),
  });
  return [...loaded.diagnostics, ...findings].sort(compareDiagnostics);
}
