import { type Diagnostic, compareDiagnostics, errorMessage } from '@flowline/core';

import type { WorkflowDefinition } from '../definition/workflow-definition.js';
import { type LoadWorkflowOptions, type LoadedWithSource, loadWorkflowWithSource } from '../load-workflow.js';
import { prepareLintSource, runRule } from './lint-context.js';
import type { LintRule } from './lint-rule.js';
import { LINT_RULES } from './rules/index.js';

export interface LintWorkflowOptions extends LoadWorkflowOptions {
  /** The rules to run; the whole catalogue by default. */
  readonly rules?: readonly LintRule[];
}

/**
 * Validation first: an invalid workflow reports its validation diagnostics
 * and no rule runs (rules may assume a valid, compiled workflow). A valid one
 * reports validation warnings plus every rule's findings, at their default
 * severities, sorted by place. Suppressions and configuration apply above this
 * (lint-text.ts).
 */
export function lintWorkflow(text: string, options: LintWorkflowOptions): Diagnostic[] {
  const loaded = loadWorkflowWithSource(text, options);
  if (!loaded.ok) return [...loaded.diagnostics];
  return [...loaded.diagnostics, ...runRules(text, loaded, options)].sort(compareDiagnostics);
}

/** The rules' findings on a workflow that validation accepted (`loaded` from `text`). */
export function runRules(text: string, loaded: LoadedWithSource, options: LintWorkflowOptions): Diagnostic[] {
  const lintSource = prepareLintSource({
    file: options.file,
    text,
    definition: loaded.source.value as unknown as WorkflowDefinition,
    workflow: loaded.workflow,
    positions: loaded.source.positions,
  });
  return (options.rules ?? LINT_RULES).flatMap((rule) => {
    try {
      return runRule(rule, lintSource);
    } catch (error) {
      // A bug in one rule: say which, and where, so the report is actionable.
      throw new Error(`lint rule "${rule.id}" failed on ${options.file}: ${errorMessage(error)}`, { cause: error });
    }
  });
}
