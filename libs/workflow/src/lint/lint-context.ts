import type { Diagnostic, SourceSpan } from '@flowline/core';

import type { CompiledWorkflow } from '../compile/compiled-workflow.js';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition.js';
import type { SourcePositions, ValuePath } from '../source/source-positions.js';
import type { LintContext, LintFinding, LintRule } from './lint-rule.js';

export interface LintSource {
  readonly file: string;
  readonly text: string;
  readonly definition: WorkflowDefinition;
  readonly workflow: CompiledWorkflow;
  readonly positions: SourcePositions;
}

/**
 * What every rule's context shares, built once per workflow: the text's
 * lines and the step index. (Building them per rule split an 800 KiB file
 * forty times over, and the garbage dominated linting a large workflow.)
 */
export interface PreparedLintSource extends LintSource {
  readonly lines: readonly string[];
  readonly stepIndex: ReadonlyMap<string, number>;
}

export function prepareLintSource(source: LintSource): PreparedLintSource {
  return {
    ...source,
    lines: source.text.split(/\r?\n/),
    stepIndex: new Map(source.definition.steps.map((step, i) => [step.id, i])),
  };
}

/** Runs one rule over a workflow and returns its findings as diagnostics (code = rule id). */
export function runRule(rule: LintRule, source: PreparedLintSource): Diagnostic[] {
  const found: Diagnostic[] = [];
  rule.check(contextFor(source, (finding) => found.push(toDiagnostic(rule, source, finding))));
  return found;
}

function contextFor(source: PreparedLintSource, report: (finding: LintFinding) => void): LintContext {
  const { lines, stepIndex } = source;
  return {
    file: source.file,
    text: source.text,
    definition: source.definition,
    workflow: source.workflow,
    positions: source.positions,
    lines,
    indexOf: (stepId) => stepIndex.get(stepId) ?? -1,
    step: (stepId) => source.definition.steps[stepIndex.get(stepId) ?? -1] as StepDefinition,
    spanOf: (path, needle) => spanOf(source, path, needle),
    commentsNear: (path) => commentsNear(lines, source.positions.valueSpan(path).line),
    report,
  };
}

function toDiagnostic(rule: LintRule, source: LintSource, finding: LintFinding): Diagnostic {
  const span =
    finding.at ?? (finding.atKey ? source.positions.keySpan(finding.path) : source.positions.valueSpan(finding.path));
  return {
    severity: rule.severity,
    code: rule.id,
    message: finding.message,
    file: source.file,
    ...span,
    path: finding.path.join('.'),
    ...(finding.stepId === undefined ? {} : { stepId: finding.stepId }),
  };
}

function spanOf(source: LintSource, path: ValuePath, needle: string | undefined): SourceSpan {
  const range = source.positions.valueOffsets(path);
  if (needle === undefined || range === undefined) return source.positions.valueSpan(path);
  const at = source.text.slice(range[0], range[1]).indexOf(needle);
  if (at === -1) return source.positions.valueSpan(path);
  return source.positions.spanOfOffsets(range[0] + at, range[0] + at + needle.length);
}

/**
 * Comments that explain a value: the one at the end of its line and the block
 * of whole-line comments right above it. A `#` inside quotes is rare in the
 * fields rules ask about (booleans, short values), so a plain split serves.
 */
function commentsNear(lines: readonly string[], line: number): string[] {
  const comments: string[] = [];
  const trailing = / #(.*)$/.exec(lines[line - 1] ?? '');
  if (trailing?.[1] !== undefined) comments.push(trailing[1].trim());
  for (let n = line - 2; n >= 0 && /^\s*#/.test(lines[n] ?? ''); n--) {
    comments.unshift(lines[n]!.replace(/^\s*#/, '').trim());
  }
  return comments;
}
