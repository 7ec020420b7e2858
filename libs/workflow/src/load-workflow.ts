import { readFileSync, realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

import { type Diagnostic, FlowlineError, compareDiagnostics, errorMessage } from '@flowline/core';

import { compileDefinition } from './compile/compile-workflow.js';
import type { CompiledWorkflow } from './compile/compiled-workflow.js';
import type { WorkflowDefinition } from './definition/workflow-definition.js';
import { DiagnosticSink } from './diagnostics.js';
import { validateSchema } from './schema/schema-validator.js';
import { overLimit } from './util/describe.js';
import { type ParsedSource, parseSource } from './source/parse-source.js';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './source/source-limits.js';
import type { TemplateFileReader } from './validate/template-files.js';
import { validateLogic } from './validate/validate-logic.js';

export interface LoadWorkflowOptions {
  /** The name diagnostics give the source: a path, or e.g. `<request>`. */
  readonly file: string;
  /** Reads `template_file`s; without it a workflow that names one is invalid. */
  readonly readTemplateFile?: TemplateFileReader;
  readonly limits?: SourceLimits;
}

export type LoadResult =
  | { readonly ok: true; readonly workflow: CompiledWorkflow; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * YAML text → `CompiledWorkflow`, or every problem found with its place.
 * Stages: parse (syntax, limits) → JSON Schema → logic rules → compile. A stage
 * runs only on what the previous one accepted, so one mistake gives one
 * message, not a cascade. Warnings come back with a valid workflow too.
 */
export function loadWorkflow(text: string, options: LoadWorkflowOptions): LoadResult {
  const loaded = loadWorkflowWithSource(text, options);
  return loaded.ok ? { ok: true, workflow: loaded.workflow, diagnostics: loaded.diagnostics } : loaded;
}

/** A valid workflow with the parse it was compiled from: its value as written and its places. */
export type LoadedWithSource = Extract<LoadResult, { ok: true }> & { readonly source: ParsedSource };

/** loadWorkflow, keeping the parse for callers that read the workflow as written too (lint), so it is not parsed twice. */
export function loadWorkflowWithSource(
  text: string,
  options: LoadWorkflowOptions,
): LoadedWithSource | Extract<LoadResult, { ok: false }> {
  const sink = new DiagnosticSink(options.file);
  const source = parseSource(text, sink, options.limits);
  if (source === undefined || !validateSchema(source.value, source.positions, sink)) return failed(sink);
  const definition = source.value as unknown as WorkflowDefinition;
  const facts = validateLogic(definition, source.positions, sink, options.readTemplateFile);
  if (sink.hasErrors || facts.dag === undefined) return failed(sink);
  const workflow = compileDefinition(definition, { ...facts, dag: facts.dag }, text);
  return { ok: true, workflow, diagnostics: sink.items.sort(compareDiagnostics), source };
}

/**
 * Reads and loads a workflow file. `template_file`s are read relative to it.
 * Throws `FlowlineError` (`file_unreadable`) when the file itself cannot be
 * read: that is a problem with the request, not with a workflow.
 */
export async function loadWorkflowFile(
  path: string,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): Promise<LoadResult> {
  const read = await readWorkflowFile(path, limits);
  if (!read.ok) return read;
  return loadWorkflow(read.text, { file: path, readTemplateFile: templateFileReader(dirname(path)), limits });
}

/**
 * A workflow file's text, or the `file-too-large` diagnostic when it is over
 * the limit (checked before reading it). Throws as loadWorkflowFile does.
 */
export async function readWorkflowFile(
  path: string,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): Promise<{ readonly ok: true; readonly text: string } | Extract<LoadResult, { ok: false }>> {
  const size = await stat(path).then(
    (s) => s.size,
    (error: unknown) => {
      throw unreadable(path, error);
    },
  );
  if (size > limits.maxBytes) {
    const sink = new DiagnosticSink(path);
    sink.error('file-too-large', `workflow file ${overLimit(size, limits.maxBytes)}`, {
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    });
    return { ok: false, diagnostics: sink.items };
  }
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw unreadable(path, error);
  });
  return { ok: true, text };
}

export function templateFileReader(directory: string): TemplateFileReader {
  return (relativePath) => {
    // Shown as the workflow's own path was given: relative stays relative, absolute absolute.
    const file = join(directory, relativePath);
    try {
      // A symlink may not lead a workflow to read files outside its directory.
      if (!isInside(realpathSync(directory), realpathSync(file))) {
        return { ok: false, reason: `${file} resolves outside the workflow's directory` };
      }
      return { ok: true, text: readFileSync(file, 'utf8'), file };
    } catch (error) {
      return { ok: false, reason: `cannot read ${file}: ${systemReason(error)}` };
    }
  };
}

function isInside(directory: string, path: string): boolean {
  return path.startsWith(directory.endsWith(sep) ? directory : directory + sep);
}

function unreadable(path: string, error: unknown): FlowlineError {
  return new FlowlineError('file_unreadable', `cannot read ${path}: ${systemReason(error)}`, { cause: error });
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(error);
}

function failed(sink: DiagnosticSink): Extract<LoadResult, { ok: false }> {
  return { ok: false, diagnostics: sink.items.sort(compareDiagnostics) };
}
