import type { StepDefinition } from '../../definition/workflow-definition.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import { downloadsRunAsCode } from './security-downloads.js';
import { unpinnedPackageRuns } from './security-packages.js';
import { type TemplatedVariable, templatedRemovals } from './security-removals.js';
import { reportScriptFindings } from './security-scripts.js';

export const CURL_PIPE_SHELL: LintRule = {
  id: 'curl-pipe-shell',
  category: 'security',
  severity: 'error',
  summary:
    'A download run as code unchecked: `curl … | sh`, `bash <(curl …)`, `sh -c "$(curl …)"`, `eval "$(curl …)"`.',
  docs: {
    why:
      "Whatever the server sends runs with the step's rights and secrets: a compromised host, a hijacked " +
      'domain or a proxy on the way changes the script without anything noticing, and a connection cut ' +
      'mid-download runs half a script. Any interpreter counts that reads its program from stdin (`sh`, ' +
      '`bash`, `zsh`, `python`, `node`, `perl`, `ruby`, `php`, also through `sudo`); `curl … | python -m ' +
      'json.tool` or `| node -e "…"` only read data and are fine. A script downloaded to a file and run ' +
      'later is not detected: whether its checksum was checked in between cannot be told from the text.',
    fix: 'Download to a file, check it against a checksum you pinned, then run it; or install a pinned package.',
    bad: [
      'steps:',
      '  - id: tools',
      '    type: shell',
      '    run: curl -fsSL https://example.com/install.sh | bash',
    ].join('\n'),
    good: [
      'steps:',
      '  - id: tools',
      '    type: shell',
      '    run: |',
      '      curl -fsSL -o install.sh https://example.com/install.sh',
      '      echo "3f5c…  install.sh" | sha256sum -c -',
      '      bash install.sh',
    ].join('\n'),
  },
  check(context) {
    reportScriptFindings(context, (script) => downloadsRunAsCode(script.pipelines));
  },
};

export const RM_RF_TEMPLATED_PATH: LintRule = {
  id: 'rm-rf-templated-path',
  category: 'security',
  severity: 'error',
  summary: '`rm -r`/`rm -f` on a path decided at run time: a `{{…}}` template, or an unguarded templated env variable.',
  docs: {
    why:
      'A template splices text, not a path: `rm -rf {{inputs.dir}}/build` with `dir` set to `. /` or `../..` ' +
      'removes what those name. Through env the variable is a value, but two cases still go wrong: unquoted ' +
      '(`rm -rf $DIR`), a value with spaces or `*` names other paths; quoted and followed by `/` ' +
      '(`rm -rf "$DIR/build"`), an empty value turns the path into `/build`. So the rule reports `rm` with ' +
      '`-r`, `-R`, `-f`, `--recursive` or `--force` whose path holds a template, or expands an env variable ' +
      "whose value (the step's `env:` or the workflow's) is a template, unquoted or quoted before a `/` when " +
      'the value starts with a template (so may be empty). `"$DIR"` alone is fine (empty, it is `rm ""`, ' +
      'which fails), as is a variable whose env value is literal text. `${DIR:?}` stops the script when DIR ' +
      'is empty; any `${DIR…}` form is taken as deliberate.',
    fix: 'Pass the path through `env:` and write `"${DIR:?}"`, quoted, so an empty value stops the script.',
    bad: [
      'inputs: { dir: { type: string } }',
      'steps:',
      '  - id: clean',
      '    type: shell',
      '    run: rm -rf {{inputs.dir}}/build',
    ].join('\n'),
    good: [
      'inputs: { dir: { type: string } }',
      'steps:',
      '  - id: clean',
      '    type: shell',
      "    env: { DIR: '{{inputs.dir}}' }",
      '    run: rm -rf "${DIR:?}/build"',
    ].join('\n'),
  },
  check(context) {
    reportScriptFindings(context, (script) =>
      templatedRemovals(script.pipelines, templatedVariables(context, script.step)),
    );
  },
};

/** The env variables a step sees whose values are templates (the step's own env wins over the workflow's). */
function templatedVariables(context: LintContext, step: StepDefinition): Map<string, TemplatedVariable> {
  const variables = new Map<string, TemplatedVariable>();
  for (const [name, value] of Object.entries({ ...context.definition.env, ...step.env })) {
    const text = String(value);
    if (text.includes('{{')) variables.set(name, { mayBeEmpty: text.trimStart().startsWith('{{') });
  }
  return variables;
}

export const NPX_UNPINNED: LintRule = {
  id: 'npx-unpinned',
  category: 'security',
  severity: 'warning',
  summary: '`npx`, `npm exec`, `pnpm dlx`, `yarn dlx` or `bunx` of a package without an exact version.',
  docs: {
    why:
      'When the package is not installed locally, the runner downloads whatever the registry serves under ' +
      'that name today and runs it: a typo (`npx tsc` fetches a package called `tsc`, not TypeScript), a ' +
      "hijacked release or a new major version runs with the step's secrets. A tag (`@latest`) or a range " +
      '(`@^1.2`) is not a pin. `--no-install` / `--no` keep npx to the local install and are fine, as are ' +
      'local paths, specs pinned to a full git commit, and specs with `$` or `{{` (decided at run time).',
    fix: 'Pin an exact version (`npx prettier@3.3.3`), or run the local install: `npx --no-install jest`.',
    bad: ['steps:', '  - id: format', '    type: shell', '    run: npx prettier --check .'].join('\n'),
    good: ['steps:', '  - id: format', '    type: shell', '    run: npx --no-install prettier --check .'].join('\n'),
  },
  check(context) {
    reportScriptFindings(context, (script) => unpinnedPackageRuns(script.pipelines));
  },
};

export const SHELL_RULES: readonly LintRule[] = [CURL_PIPE_SHELL, RM_RF_TEMPLATED_PATH, NPX_UNPINNED];
