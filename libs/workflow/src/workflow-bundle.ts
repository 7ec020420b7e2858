import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

import { type LoadResult, loadWorkflow, templateFileReader } from './load-workflow.js';
import type { TemplateFileReader } from './validate/template-files.js';

/**
 * A workflow with every file it reads, as plain JSON: what a coordinator
 * stores so that any worker compiles exactly the version a run started
 * with, wherever the original files are. Template files are keyed by the
 * path the workflow names them with.
 */
export interface WorkflowBundle {
  /** The workflow's file name, for diagnostics. */
  readonly file: string;
  readonly text: string;
  readonly templateFiles: Readonly<Record<string, string>>;
}

/** Reads a workflow file and the template files it names. Throws when the workflow itself is unreadable. */
export async function readWorkflowBundle(path: string): Promise<WorkflowBundle> {
  const text = await readFile(path, 'utf8');
  const templateFiles: Record<string, string> = {};
  const read = templateFileReader(dirname(path));
  const recording: TemplateFileReader = (relativePath) => {
    const result = read(relativePath);
    if (result.ok) templateFiles[relativePath] = result.text;
    return result;
  };
  loadWorkflow(text, { file: path, readTemplateFile: recording });
  return { file: basename(path), text, templateFiles };
}

/** Compiles a bundle; the same bundle always gives the same workflow digest. */
export function loadWorkflowBundle(bundle: WorkflowBundle): LoadResult {
  return loadWorkflow(bundle.text, {
    file: bundle.file,
    readTemplateFile: (relativePath) => {
      const text = bundle.templateFiles[relativePath];
      return text === undefined
        ? { ok: false, reason: `${relativePath} is not in the stored workflow` }
        : { ok: true, text, file: relativePath };
    },
  });
}
