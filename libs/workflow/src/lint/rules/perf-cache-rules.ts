import type { LintRule } from '../lint-rule.js';
import { expensiveCommand, hasSideEffects, placeInScript } from './perf-commands.js';
import { shellScripts } from './security-scripts.js';
import { compiledStep } from './step-facts.js';

export const uncachedExpensiveStep: LintRule = {
  id: 'uncached-expensive-step',
  category: 'performance',
  severity: 'warning',
  summary: 'A shell step runs a slow, deterministic command (a dependency install, a build) without the step cache',
  docs: {
    why:
      'Dependency installs (`npm ci`, `npm install`, `yarn` or `yarn install`, `pnpm install`, `pip install`, `poetry ' +
      'install`, `bundle install`) and builds (`tsc`, `npm run build`, `cargo build`, `go build`, `make`, `mvn ' +
      'package`, `gradle build`) take minutes and give the same result for the same files. With `cache: { enabled: ' +
      "true, files: [...] }` an unchanged workspace restores the step's outputs and file changes (the installed " +
      '`node_modules`, the build output) in moments. The rule looks at the command that starts each part of the ' +
      'script (`a && b`, `a; b`, one per line, after `sudo`, `env` or `timeout`), not at comments, here-documents ' +
      'or text inside quotes, and only at `npm install`-style ' +
      'installs without package names and `make` without a target other than all, build or compile. It stays ' +
      'quiet when the script also has effects outside the workspace that a cache hit would skip (a publish, a ' +
      'deploy, a push, `curl`, `kubectl`, `aws`…), and when the step or `defaults:` says `cache: { enabled: false ' +
      '}` — that is a decision. `docker build` is left out on purpose: its product is an image in the Docker ' +
      "daemon, outside the workspace, which the step cache cannot restore (Docker's layer cache is the tool there).",
    fix:
      'Add `cache: { enabled: true, files: [<lock file>, <sources>] }` to the step (or to `defaults:`), listing ' +
      'the files its result depends on; or put the install in a step of its own and cache that.',
    bad: 'steps:\n  - { id: install, type: shell, run: npm ci, sandbox: { network: true } }',
    good: [
      'steps:',
      '  - id: install',
      '    type: shell',
      '    run: npm ci',
      '    sandbox: { network: true }',
      '    cache: { enabled: true, files: [package-lock.json] }',
    ].join('\n'),
  },
  check(context) {
    const { definition, workflow } = context;
    for (const script of shellScripts(context)) {
      const { step, pipelines } = script;
      if (compiledStep(workflow, step.id).cache.enabled) continue;
      if (step.cache?.enabled === false || definition.defaults?.cache?.enabled === false) continue;
      const command = expensiveCommand(pipelines);
      if (command === undefined || hasSideEffects(pipelines)) continue;
      const files = command.files.join(', ');
      context.report({
        message: `step "${step.id}": runs ${command.text} every time; enable the cache (cache: { enabled: true, files: [${files}] }) so an unchanged workspace reuses the result`,
        path: script.path,
        at: placeInScript(context, script, command.offset),
        stepId: step.id,
      });
    }
  },
};
