import type { ShellStepDefinition, WorkflowDefinition } from '../../definition/workflow-definition.js';
import type { ValuePath } from '../../source/source-positions.js';
import type { LintContext } from '../lint-rule.js';
import { type ShellPipeline, shellPipelines } from './security-shell.js';

/** Something a script check found: where in the script, and what (without the step, which the rule names). */
export interface ShellFinding {
  /** Offset in the `run:` text as written (templates unrendered). */
  readonly offset: number;
  readonly message: string;
}

/** A shell step's script, parsed. */
export interface ShellScript {
  readonly step: ShellStepDefinition;
  readonly path: ValuePath;
  readonly source: string;
  readonly pipelines: readonly ShellPipeline[];
}

/** Interpreters whose scripts the shell parser understands; `shell: python3` steps are not parsed. */
const SHELL_FAMILY = /^(?:sh|bash|zsh|dash|ksh|mksh|ash)$/;

/** Parsed once per workflow: three rules read the same scripts. */
const PARSED = new WeakMap<WorkflowDefinition, readonly ShellScript[]>();

/** The `run:` scripts of shell steps that run under a POSIX-like shell (the default `bash` included). */
export function shellScripts(context: LintContext): readonly ShellScript[] {
  const cached = PARSED.get(context.definition);
  if (cached !== undefined) return cached;
  const scripts = parseScripts(context);
  PARSED.set(context.definition, scripts);
  return scripts;
}

function parseScripts(context: LintContext): ShellScript[] {
  const scripts: ShellScript[] = [];
  for (const step of context.definition.steps) {
    if (step.type !== 'shell') continue;
    const compiled = context.workflow.steps.get(step.id);
    const interpreter = compiled?.type === 'shell' ? compiled.shell[0] : undefined;
    if (interpreter !== undefined && !SHELL_FAMILY.test(interpreter.split('/').pop() ?? '')) continue;
    const path = ['steps', context.indexOf(step.id), 'run'];
    scripts.push({ step, path, source: step.run, pipelines: shellPipelines(step.run) });
  }
  return scripts;
}

/** Runs a script check over every shell script and reports what it finds at its exact place. */
export function reportScriptFindings(
  context: LintContext,
  check: (script: ShellScript) => readonly ShellFinding[],
): void {
  for (const script of shellScripts(context)) {
    for (const finding of check(script)) {
      context.report({
        message: `step "${script.step.id}": ${finding.message}`,
        path: script.path,
        at: context.positions.templateSpan(script.path, script.source, placeInText(script.source, finding.offset)),
        stepId: script.step.id,
      });
    }
  }
}

/** Line (1-based) and column (0-based) of an offset: the convention of template places. */
export function placeInText(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart };
}
