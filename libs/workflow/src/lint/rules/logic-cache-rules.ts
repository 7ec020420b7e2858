import type { StepDefinition } from '../../definition/workflow-definition.js';
import type { ValuePath } from '../../source/source-positions.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import { expensiveCommand, shellScriptOf } from './perf-commands.js';
import { compiledStep } from './step-facts.js';

export const cacheWithoutFiles: LintRule = {
  id: 'cache-without-files',
  category: 'logic',
  severity: 'warning',
  summary:
    'Cache enabled, with no `cache.files`, on a step whose result depends on workspace files: it returns stale results',
  docs: {
    why:
      "The cache key covers the step's type, its rendered configuration and the digests of the files its " +
      '`cache.files` globs match — nothing else of the workspace. With no `cache.files` a changed lock file or ' +
      'source file gives the same key, and the step returns the result of an older workspace. We file this under ' +
      'logic rather than performance because the cost is a wrong result, not a slow one. The rule looks at steps ' +
      'that certainly read the workspace: claude_code steps (an agent works on the files it finds) and shell steps ' +
      'running a dependency install or a build (the commands `uncached-expensive-step` knows). A shell step whose ' +
      'result depends only on its rendered configuration (a download of `{{inputs.version}}`) may cache without ' +
      'files.',
    fix: 'List the files the result depends on in `cache.files` (the lock file for an install; sources for a build).',
    bad: ['steps:', '  - id: install', '    type: shell', '    run: npm ci', '    cache: { enabled: true }'].join('\n'),
    good: [
      'steps:',
      '  - id: install',
      '    type: shell',
      '    run: npm ci',
      '    cache: { enabled: true, files: [package-lock.json] }',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      const cache = compiledStep(context.workflow, step.id).cache;
      if (!cache.enabled || cache.files.length > 0) return;
      const reads = workspaceReader(context, step);
      if (reads === undefined) return;
      const { path, atKey } = cacheField(step, index);
      context.report({
        message: `step "${step.id}": cache is enabled with no cache.files, so the key ignores the workspace and ${reads}; list the files it depends on in cache.files`,
        path,
        atKey,
        stepId: step.id,
      });
    });
  },
};

/** What of the workspace the step's result depends on, in words; undefined when not certain. */
function workspaceReader(context: LintContext, step: StepDefinition): string | undefined {
  if (step.type === 'claude_code') return 'the agent returns its old result after the files change';
  const script = step.type === 'shell' ? shellScriptOf(context, step.id) : undefined;
  const command = script === undefined ? undefined : expensiveCommand(script.pipelines);
  return command === undefined
    ? undefined
    : `${command.text} is skipped even when ${command.files.join(' or ')} changed`;
}

/** Where the cache is set: the step's `cache.files` or `cache`, else `defaults.cache`. */
function cacheField(step: StepDefinition, index: number): { path: ValuePath; atKey: boolean } {
  if (step.cache?.files !== undefined) return { path: ['steps', index, 'cache', 'files'], atKey: false };
  if (step.cache !== undefined) return { path: ['steps', index, 'cache'], atKey: true };
  return { path: ['defaults', 'cache'], atKey: true };
}
