import type { SourceSpan } from '@flowline/core';

import type { CompiledWorkflow } from '../compile/compiled-workflow.js';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition.js';
import type { SourcePositions, ValuePath } from '../source/source-positions.js';

/** The four families of the catalogue (docs/lint-rules.md groups rules by them). */
export type LintCategory = 'logic' | 'performance' | 'security' | 'best-practice';

/** `off` exists only in configuration: it turns a rule off. */
export type LintSeverity = 'error' | 'warning';

/**
 * What the catalogue, the docs and SARIF say about a rule: everything but its
 * check. The suppression diagnostics (meta-rules.ts) are described this way too.
 */
export interface LintRuleDescription {
  /** Stable, kebab-case, e.g. `curl-pipe-shell`; what suppressions and config name. */
  readonly id: string;
  readonly category: LintCategory;
  readonly severity: LintSeverity;
  /** One line for the catalogue: what the rule finds. */
  readonly summary: string;
  /** docs/lint-rules.md entry, generated from the catalogue: why it matters and how to fix it (Markdown). */
  readonly docs: {
    readonly why: string;
    readonly fix: string;
    /** A short YAML snippet the rule reports on. */
    readonly bad?: string;
    /** The same snippet fixed. */
    readonly good?: string;
  };
}

/**
 * One rule of the catalogue. A rule only looks: it reads the workflow that
 * validation already accepted and reports findings through the context.
 * Rules never see invalid workflows (validation errors come first).
 */
export interface LintRule extends LintRuleDescription {
  check(context: LintContext): void;
}

/** What a rule reads, and how it reports. */
export interface LintContext {
  readonly file: string;
  /** The workflow text as written (comments included): line `n` is `lines[n - 1]`. */
  readonly text: string;
  readonly lines: readonly string[];
  /** The workflow as written (after schema validation): field names as in YAML. */
  readonly definition: WorkflowDefinition;
  /** The compiled workflow: defaults filled, DAG built, templates compiled with their references. */
  readonly workflow: CompiledWorkflow;
  /** Maps value paths (`['steps', 3, 'run']`) to places in the text. */
  readonly positions: SourcePositions;
  /** The step's index in `definition.steps`, for building paths: `['steps', indexOf(id), 'run']`. */
  indexOf(stepId: string): number;
  /** The step definition by id. */
  step(stepId: string): StepDefinition;
  /**
   * The span of `needle`'s first occurrence inside the source of the value at
   * `path` (a command inside a block-scalar script, say); the value's own span
   * when the needle is not found there verbatim.
   */
  spanOf(path: ValuePath, needle?: string): SourceSpan;
  /** Comment text on the line of the value at `path` and on the lines just above it (for "explain why" rules). */
  commentsNear(path: ValuePath): string[];
  /** Reports a finding at the value at `path` (or `at`, when the place is finer, e.g. inside a script). */
  report(finding: LintFinding): void;
}

export interface LintFinding {
  /** One line, naming the step or field: `step "deploy": …`. The rule id is added by the formatter. */
  readonly message: string;
  readonly path: ValuePath;
  /** Overrides the span of `path`, e.g. a match inside a block scalar. */
  readonly at?: SourceSpan;
  /** The key's span instead of the value's (for "this field should not be here"). */
  readonly atKey?: boolean;
  readonly stepId?: string;
}
